using System.Net;
using System.Security.Cryptography;
using System.Text;
using Hangfire;
using HamachiCloud.Api.ControlPlane;
using HamachiCloud.Protocol.Relay;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Relays;

/// <summary>
/// <c>POST /api/v1/relays/heartbeat</c>: a relay registers (or refreshes) itself with the shared secret
/// (<c>Relays:RegistrationSecret</c>, header X-Relay-Secret) and gets the server identity public key and the active
/// banned ranges and the full ban list (scope Relays); the relay's ban hit counts ride in the request. A new relay or
/// changed endpoints make every connected agent's map update at the next tick.
/// <c>POST /api/v1/relays/bans</c>: the relays' long poll (same secret) that pushes every ban change to them within a
/// second (<see cref="RelayBanPoll"/>): it returns when the list differs from the relay's version or a ban changes on any
/// Api node (<see cref="Bans.BanBus"/>), else after <see cref="RelayBanPoll.MaxWaitSeconds"/>.
/// The usage the relay reports is rolled up by a Hangfire job (<see cref="Billing.RelayUsageRollup"/>).
/// </summary>
internal static class RelayEndpoints
{
    public static void MapRelayEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/relays/heartbeat", HeartbeatAsync).AllowAnonymous().WithTags("Relays")
            .WithSummary("Relay heartbeat (shared secret): returns the server identity key and the ban list");
        api.MapPost("/relays/bans", BanPollAsync).AllowAnonymous().WithTags("Relays")
            .WithSummary("Relay ban long poll (shared secret): answers when the ban list changes");
    }

    private static async Task<IResult> BanPollAsync(
        HttpContext http, RelayBanPoll? body, Bans.BanList bans, RelayBanFeed feed, IOptions<RelaysOptions> options, IHostApplicationLifetime lifetime,
        CancellationToken ct)
    {
        RequireSecret(http, options.Value);
        if (body is null || body.RelayId == Guid.Empty || body.Version is { Length: > 64 })
        {
            throw new ApiProblemException(400, ErrorCodes.ValidationFailed, "relay ban poll: invalid fields",
                new Dictionary<string, string[]> { [body is null || body.RelayId == Guid.Empty ? "relayId" : "version"] = ["required: the relay id and at most 64 characters of version"] });
        }

        // A stopping node lets its waiting relays go at once (503: they retry, on another node or after the restart)
        // instead of holding its shutdown for up to the poll's wait.
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping);
        try
        {
            await bans.WaitForChangeAsync(body.Version, TimeSpan.FromSeconds(RelayBanPoll.MaxWaitSeconds), waiting.Token);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        return Results.Ok(await feed.CurrentAsync(ct));
    }

    private static void RequireSecret(HttpContext http, RelaysOptions options)
    {
        var secret = options.RegistrationSecret;
        var given = http.Request.Headers[RelayHeartbeatRequest.SecretHeader].ToString();
        if (string.IsNullOrEmpty(secret)
            || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(secret))))
        {
            throw new ApiProblemException(401, ErrorCodes.Unauthorized, $"relay calls need the registration secret in {RelayHeartbeatRequest.SecretHeader}");
        }
    }

    private static async Task<IResult> HeartbeatAsync(
        HttpContext http, RelayHeartbeatRequest? body, HamachiDbContext db, ServerIdentity identity, MapChangeQueue changes, RelayBanFeed feed,
        Bans.BanHits hits, IOptions<RelaysOptions> options, TimeProvider clock, IBackgroundJobClient jobs, CancellationToken ct)
    {
        RequireSecret(http, options.Value);
        var request = Validate(body);
        var now = clock.GetUtcNow();
        foreach (var (banId, count) in request.BanHits ?? new Dictionary<Guid, long>())
        {
            hits.Count(banId, now, Math.Clamp(count, 0, 1_000_000_000)); // joins this node's counts, written by BanHitFlusher
        }

        var udp = string.Join(' ', request.UdpEndpoints);
        var stun = string.Join(' ', request.StunEndpoints);
        var relay = await db.Relays.FirstOrDefaultAsync(r => r.Id == request.Id, ct);
        var live = relay is not null && relay.LastSeenAt >= now.AddSeconds(-options.Value.LiveSeconds);
        var changed = relay is null || !live || relay.UdpEndpoints != udp || relay.StunEndpoints != stun || relay.WebSocketUrl != request.WebSocketUrl
            || relay.Name != request.Name || relay.Region != request.Region;
        if (relay is null)
        {
            relay = new Relay { Id = request.Id, RegisteredAt = now };
            db.Relays.Add(relay);
        }

        relay.Name = request.Name;
        relay.Region = request.Region;
        relay.UdpEndpoints = udp;
        relay.StunEndpoints = stun;
        relay.WebSocketUrl = request.WebSocketUrl;
        relay.LastSeenAt = now;
        await db.SaveChangesAsync(ct);
        if (changed)
        {
            foreach (var user in await db.Devices.Where(d => d.ConnectionId != null).Select(d => d.UserId).Distinct().ToListAsync(ct))
            {
                changes.AccountChanged(user);
            }
        }

        if (request.Usage is { Count: > 0 } usage)
        {
            var day = DateOnly.FromDateTime(now.UtcDateTime);
            jobs.Enqueue<Billing.RelayUsageRollup>(r => r.AddAsync(usage, day, CancellationToken.None));
        }

        var bans = await feed.CurrentAsync(ct);
        var ranges = bans.Bans.Where(b => b.Cidr is not null && (b.ExpiresAt is null || b.ExpiresAt > now)).Select(b => b.Cidr!).ToList();
        return Results.Ok(new RelayHeartbeatResponse(identity.PublicKey.ToBase64(), ranges, bans.Bans, bans.Version));
    }

    private static RelayHeartbeatRequest Validate(RelayHeartbeatRequest? body)
    {
        var errors = new Dictionary<string, string[]>();
        if (body is null)
        {
            throw new ApiProblemException(400, ErrorCodes.MalformedRequest, "relay heartbeat: body required");
        }

        if (body.BanHits is { Count: > 10_000 })
        {
            errors["banHits"] = ["at most 10000 bans"];
        }

        if (body.Id == Guid.Empty)
        {
            errors["id"] = ["required"];
        }

        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 64)
        {
            errors["name"] = ["1..64 characters"];
        }

        if (body.Region is null || body.Region.Length > 64)
        {
            errors["region"] = ["at most 64 characters"];
        }

        if (body.UdpEndpoints is null || body.UdpEndpoints.Count is < 1 or > 4 || !body.UdpEndpoints.All(IsEndpoint))
        {
            errors["udpEndpoints"] = ["1..4 endpoints ip:port"];
        }

        if (body.StunEndpoints is null || body.StunEndpoints.Count > 4 || !body.StunEndpoints.All(IsEndpoint))
        {
            errors["stunEndpoints"] = ["0..4 endpoints ip:port"];
        }

        if (body.WebSocketUrl is not null
            && (body.WebSocketUrl.Length > 256 || !Uri.TryCreate(body.WebSocketUrl, UriKind.Absolute, out var ws) || ws.Scheme is not ("ws" or "wss")))
        {
            errors["webSocketUrl"] = ["an absolute ws:// or wss:// URL of at most 256 characters"];
        }

        if (body.Usage is { } usage
            && (usage.Count > MaxUsageReports || !usage.All(u => u is not null && IsNodeKey(u.From) && IsNodeKey(u.To) && u.Bytes > 0)))
        {
            errors["usage"] = [$"at most {MaxUsageReports} reports, each with two base64 node keys of 32 bytes and a positive byte count"];
        }

        return errors.Count == 0 ? body : throw new ApiProblemException(400, ErrorCodes.ValidationFailed, "relay heartbeat: invalid fields", errors);
    }

    /// <summary>At most this many sender/receiver pairs per heartbeat (a relay's binding limit is far below).</summary>
    public const int MaxUsageReports = 100_000;

    private static bool IsNodeKey(string? text)
    {
        Span<byte> key = stackalloc byte[33];
        return text is { Length: 44 } && Convert.TryFromBase64String(text, key, out var written) && written == 32;
    }

    private static bool IsEndpoint(string? text) => IPEndPoint.TryParse(text ?? "", out var e) && e.Port != 0;
}
