using System.Net;
using System.Net.Http.Json;
using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Networks;
using HamachiCloud.Protocol.Relay;
using Microsoft.AspNetCore.SignalR.Client;

namespace HamachiCloud.Api.Tests;

/// <summary>Relay registration (heartbeat), relays in maps and relay tokens over the hub, on SQLite and PostgreSQL.</summary>
public abstract class RelayApiTests(ApiWorld world)
{
    internal static RelayHeartbeatRequest Heartbeat(Guid id, string? ws = "wss://relay.example/relay") =>
        new(id, "relay-1", "eu", ["192.0.2.10:3478"], ["192.0.2.10:3478", "192.0.2.10:3479", "192.0.2.11:3478", "192.0.2.11:3479"], ws);

    internal static async Task<HttpResponseMessage> PostAsync(HttpClient http, object body, string? secret = ApiFactory.RelaySecret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, RelayHeartbeatRequest.Path) { Content = JsonContent.Create(body) };
        if (secret is not null)
        {
            request.Headers.Add(RelayHeartbeatRequest.SecretHeader, secret);
        }

        return await http.SendAsync(request);
    }

    [SkippableFact]
    public async Task Heartbeat_needs_the_secret_and_valid_fields_and_returns_the_server_key_and_bans()
    {
        var f = await world.GetAsync();
        var http = f.CreateClient();
        var id = Guid.NewGuid();

        using var noSecret = await PostAsync(http, Heartbeat(id), secret: null);
        Assert.Equal(HttpStatusCode.Unauthorized, noSecret.StatusCode);
        Assert.Contains(ErrorCodes.Unauthorized, await noSecret.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var wrong = await PostAsync(http, Heartbeat(id), secret: "not-the-secret-at-all");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        using var invalid = await PostAsync(http, Heartbeat(id) with { UdpEndpoints = ["nonsense"], WebSocketUrl = "ftp://x" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.Content.ReadAsStringAsync();
        Assert.Contains(ErrorCodes.ValidationFailed, problem, StringComparison.Ordinal);
        Assert.Contains("udpEndpoints", problem, StringComparison.Ordinal);

        var staff = await TestUser.CreateStaffAsync(f);
        var ban = await staff.Client.CreateBanAsync(new("203.0.113.0/24", "relay abuse"));
        try
        {
            using var ok = await PostAsync(http, Heartbeat(id));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            var body = await ok.Content.ReadFromJsonAsync<RelayHeartbeatResponse>();
            var user = await TestUser.CreateAsync(f);
            await using var agent = await TestAgent.EnrolWithSetupKeyAsync(f, user, "a");
            Assert.Equal(agent.Enrolment.ServerIdentityKey, body!.ServerIdentityKey);
            Assert.Contains("203.0.113.0/24", body.BannedRanges);
        }
        finally
        {
            await staff.Client.DeleteBanAsync(ban.Id);
        }
    }

    [SkippableFact]
    public async Task Tokens_are_granted_only_for_peers_in_the_map_and_verify_with_the_server_key()
    {
        var f = await world.GetAsync();
        var http = f.CreateClient();
        var relayId = Guid.NewGuid();
        using (var ok = await PostAsync(http, Heartbeat(relayId)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var owner = await TestUser.CreateAsync(f);
        var guest = await TestUser.CreateAsync(f);
        var stranger = await TestUser.CreateAsync(f);
        var network = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("relayed", JoinPolicy: JoinPolicy.Open));
        await guest.Client.JoinNetworkAsync(new JoinNetworkRequest(network.NetworkId));
        await using var a = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "a");
        await using var b = await TestAgent.EnrolWithSetupKeyAsync(f, guest, "b");
        await using var c = await TestAgent.EnrolWithSetupKeyAsync(f, stranger, "c");
        Assert.True((await a.ConnectAndLoginAsync(f)).Ok);
        Assert.True((await b.ConnectAndLoginAsync(f)).Ok);
        Assert.True((await c.ConnectAndLoginAsync(f)).Ok);
        await a.WaitUntilAsync(x => x.Peer(b) is not null, "b in a's map");
        await b.WaitUntilAsync(x => x.Peer(a) is not null, "a in b's map");
        await c.WaitUntilAsync(x => x.Map is not null, "c's map");

        // Every map lists the live relay.
        var listed = Assert.Single(a.Map!.Relays!, r => r.Id == relayId);
        Assert.Equal("wss://relay.example/relay", listed.WebSocketUrl);
        Assert.Equal(4, listed.StunEndpoints.Count);

        var bKey = a.Peer(b)!.NodeKey;
        var aKey = b.Peer(a)!.NodeKey;
        var grant = await a.Connection.InvokeAsync<RelayTokenGrant>(nameof(IAgentHub.GetRelayTokens), bKey);
        Assert.Null(grant.ErrorCode);
        var entry = Assert.Single(grant.Tokens, t => t.RelayId == relayId);
        Assert.Equal(RelayTokenStatus.Valid, RelayToken.TryVerify(Convert.FromBase64String(entry.Token), a.PinnedServerKey, out var token));
        Assert.Equal(relayId, token!.RelayId);
        Assert.Equal(aKey, token.From.ToBase64());
        Assert.Equal(bKey, token.To.ToBase64());
        Assert.Equal(2_000_000, token.BandwidthBitsPerSecond); // the Free tier
        var lifetime = token.ExpiresAt - TimeProvider.System.GetUtcNow();
        Assert.InRange(lifetime.TotalMinutes, 58, 61);

        // The stranger is in no shared network: no token for that pair, in either direction.
        var cKey = Convert.ToBase64String(Convert.FromBase64String(bKey).Reverse().ToArray());
        var refused = await c.Connection.InvokeAsync<RelayTokenGrant>(nameof(IAgentHub.GetRelayTokens), bKey);
        Assert.Equal(RelayTokenErrors.PeerNotReachable, refused.ErrorCode);
        Assert.Empty(refused.Tokens);
        Assert.Equal(RelayTokenErrors.PeerNotReachable, (await a.Connection.InvokeAsync<RelayTokenGrant>(nameof(IAgentHub.GetRelayTokens), cKey)).ErrorCode);
        Assert.Equal(RelayTokenErrors.InvalidNodeKey, (await a.Connection.InvokeAsync<RelayTokenGrant>(nameof(IAgentHub.GetRelayTokens), "garbage")).ErrorCode);
    }
}

/// <summary><c>Relays:BandwidthKbps</c> replaces the plan's cap in every relay token (0 = unlimited).</summary>
public sealed class RelayBandwidthOverrideTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("75000", 75_000_000L)]
    public async Task The_configured_cap_replaces_the_plan_cap(string kbps, long expected)
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string> { ["Relays:BandwidthKbps"] = kbps });
        var relayId = Guid.NewGuid();
        var heartbeat = RelayApiTests.Heartbeat(relayId);
        using (var ok = await RelayApiTests.PostAsync(f.CreateClient(), heartbeat))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var owner = await TestUser.CreateAsync(f);
        await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("uncapped", JoinPolicy: JoinPolicy.Open));
        await using var a = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "a");
        await using var b = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "b");
        Assert.True((await a.ConnectAndLoginAsync(f)).Ok);
        Assert.True((await b.ConnectAndLoginAsync(f)).Ok);
        await a.WaitUntilAsync(x => x.Peer(b) is not null, "b in a's map");

        var grant = await a.Connection.InvokeAsync<RelayTokenGrant>(nameof(IAgentHub.GetRelayTokens), a.Peer(b)!.NodeKey);
        var entry = Assert.Single(grant.Tokens, t => t.RelayId == relayId);
        Assert.Equal(RelayTokenStatus.Valid, RelayToken.TryVerify(Convert.FromBase64String(entry.Token), a.PinnedServerKey, out var token));
        Assert.Equal(expected, token!.BandwidthBitsPerSecond); // the Free plan alone would give 2 Mbit/s
    }
}

/// <summary>A relay that stops heartbeating leaves the connected agents' maps once <c>Relays:LiveSeconds</c> passes (RelayWithdrawal).</summary>
public sealed class RelayWithdrawalTests
{
    [Fact]
    public async Task A_relay_that_stops_heartbeating_is_withdrawn_from_connected_agents_maps()
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string> { ["Relays:LiveSeconds"] = "5" });
        var relayId = Guid.NewGuid();
        using (var ok = await RelayApiTests.PostAsync(f.CreateClient(), RelayApiTests.Heartbeat(relayId)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        // The relay heartbeats every second until the agent has it (setting up may take longer than
        // Relays:LiveSeconds on a loaded machine); the clock starts when the last heartbeat was sent
        // (the server stamps it later, never earlier, so the measured time is a lower bound).
        var lastSent = System.Diagnostics.Stopwatch.GetTimestamp();
        using var beating = new CancellationTokenSource();
        var heart = Task.Run(async () =>
        {
            while (!beating.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
                if (beating.IsCancellationRequested)
                {
                    break;
                }

                var sending = System.Diagnostics.Stopwatch.GetTimestamp();
                using var beat = await RelayApiTests.PostAsync(f.CreateClient(), RelayApiTests.Heartbeat(relayId));
                Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
                lastSent = sending;
            }
        });
        var owner = await TestUser.CreateAsync(f);
        await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("withdrawn", JoinPolicy: JoinPolicy.Open));
        await using var a = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "a");
        Assert.True((await a.ConnectAndLoginAsync(f)).Ok);
        await a.WaitUntilAsync(x => x.Map?.Relays is { Count: 1 }, "the live relay in a's map");
        await beating.CancelAsync();
        await heart;

        // No more heartbeats: 5 s after the last one the relay is not live, and within one check (1 s here) a's map drops it.
        await a.WaitUntilAsync(x => x.Map?.Relays is { Count: 0 }, "the silent relay withdrawn from a's map", TimeSpan.FromSeconds(20));
        var sinceHeartbeat = System.Diagnostics.Stopwatch.GetElapsedTime(lastSent);
        Console.WriteLine($"relay withdrawn from the map {sinceHeartbeat.TotalSeconds:0.0} s after its last heartbeat was sent (Relays:LiveSeconds 5)");
        Assert.True(sinceHeartbeat >= TimeSpan.FromSeconds(4.5), $"withdrawn {sinceHeartbeat.TotalSeconds:0.0} s after the last heartbeat, before it stopped being live");
    }
}

public sealed class SqliteRelayApiTests(SqliteWorld world) : RelayApiTests(world), IClassFixture<SqliteWorld>;

public sealed class PostgresRelayApiTests(PostgresWorld world) : RelayApiTests(world), IClassFixture<PostgresWorld>;
