using System.Net;
using System.Net.Http.Json;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Relay;
using HamachiCloud.Relay.Core;
using HamachiCloud.Relay.Stun;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Relay.Hosting;

/// <summary>
/// Every <c>Relay:HeartbeatSeconds</c>: registers with the Api (shared secret) and takes the server identity key and
/// the ban list from the answer. A failed heartbeat keeps the last known key and bans (logged); before the first
/// success binds are refused unless <c>Relay:ServerIdentityKey</c> is configured. Each heartbeat carries the refusals
/// counted per ban since the last answered one (put back when it fails). Ban changes themselves are pushed
/// (<see cref="BanWatchService"/>); the heartbeat's list is the fallback.
/// </summary>
public sealed class HeartbeatService(
    IOptions<RelayOptions> options, RelayCore core, RelayBanState banState, StunSockets sockets, TimeProvider time, ILogger<HeartbeatService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.ApiUrl))
        {
            logger.LogInformation("no Relay:ApiUrl: standalone, server key and bans from configuration");
            return;
        }

        using var http = new HttpClient { BaseAddress = new Uri(o.ApiUrl), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add(RelayHeartbeatRequest.SecretHeader, o.RegistrationSecret);
        var request = new RelayHeartbeatRequest(
            o.Id,
            o.Name,
            o.Region,
            [sockets[0]!.ToString()],
            sockets.Indices.Select(i => sockets[i]!.ToString()).ToList(),
            string.IsNullOrWhiteSpace(o.WebSocketUrl) ? null : o.WebSocketUrl);
        var ok = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var hits = core.DrainBanHits();
                var usage = core.TakeUsage();
                using var response = await SendAsync(http, request with { BanHits = hits.Count == 0 ? null : hits, Usage = usage.Count == 0 ? null : usage }, hits, usage, stoppingToken);
                if (response.IsSuccessStatusCode)
                {
                    var body = await response.Content.ReadFromJsonAsync<RelayHeartbeatResponse>(stoppingToken);
                    Apply(body);
                    if (!ok)
                    {
                        logger.LogInformation("heartbeat to {Api} ok: server key {Key}, {Bans} banned range(s)", o.ApiUrl, body!.ServerIdentityKey, body.BannedRanges.Count);
                    }

                    ok = true;
                }
                else
                {
                    logger.LogWarning("heartbeat to {Api}: HTTP {Status} {Body}", o.ApiUrl, (int)response.StatusCode, await response.Content.ReadAsStringAsync(stoppingToken));
                    ok = false;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or FormatException)
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                logger.LogWarning("heartbeat to {Api} failed: {Error}", o.ApiUrl, e.Message);
                ok = false;
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(o.HeartbeatSeconds), time, stoppingToken);
            }
            catch (TaskCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Posts the heartbeat; the hit counts and the usage go back to the core unless the Api answered 2xx.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpClient http, RelayHeartbeatRequest request, Dictionary<Guid, long> hits, List<RelayUsageReport> usage, CancellationToken ct)
    {
        try
        {
            var response = await http.PostAsJsonAsync(RelayHeartbeatRequest.Path.TrimStart('/'), request, ct);
            if (!response.IsSuccessStatusCode)
            {
                core.ReturnBanHits(hits);
                core.ReturnUsage(usage);
            }

            return response;
        }
        catch
        {
            core.ReturnBanHits(hits);
            core.ReturnUsage(usage);
            throw;
        }
    }

    private void Apply(RelayHeartbeatResponse? body)
    {
        if (body is null || !SigningPublicKey.TryParse(body.ServerIdentityKey, out var key))
        {
            throw new FormatException("heartbeat answer without a valid ServerIdentityKey");
        }

        core.SetIssuer(key!);
        if (body.Bans is not null && body.BansVersion is not null)
        {
            banState.Apply(body.BansVersion, body.Bans);
            return;
        }

        // An older Api: ranges only.
        var bans = new List<IPNetwork>();
        foreach (var range in body.BannedRanges)
        {
            if (IPNetwork.TryParse(range, out var network))
            {
                bans.Add(network);
            }
            else
            {
                logger.LogWarning("heartbeat: ignoring ban '{Range}' (not a CIDR)", range);
            }
        }

        core.SetBans(bans);
    }
}
