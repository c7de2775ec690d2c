using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.ControlPlane;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Networks;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>Presence and orchestration over real SignalR sessions: who is told what, when, and how often.</summary>
public abstract class ControlPresenceTests(ApiWorld world)
{
    protected abstract DatabaseProvider Provider { get; }

    [SkippableFact]
    public async Task Mesh_login_leave_and_evict_reach_exactly_the_other_members()
    {
        var f = await world.GetAsync();
        var (owner, bob, carol) = (await TestUser.CreateAsync(f, "owner"), await TestUser.CreateAsync(f, "bob"), await TestUser.CreateAsync(f, "carol"));
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("mesh", JoinPolicy: JoinPolicy.Open));
        await bob.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await carol.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await using var a = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "a");
        await using var b = await TestAgent.EnrolWithSetupKeyAsync(f, bob, "b");
        await using var c = await TestAgent.EnrolWithSetupKeyAsync(f, carol, "c");
        await using var outsider = await TestAgent.EnrolWithSetupKeyAsync(f, await TestUser.CreateAsync(f), "outsider");

        await a.ConnectAndLoginAsync(f);
        await b.ConnectAndLoginAsync(f);
        await outsider.ConnectAndLoginAsync(f);
        Assert.False(a.Peer(c)!.Online);
        await c.ConnectAndLoginAsync(f);
        await a.WaitUntilAsync(x => x.Peer(c)?.Online == true, "carol online");
        await b.WaitUntilAsync(x => x.Peer(c)?.Online == true, "carol online");
        Assert.Equal(new[] { a.DeviceId, b.DeviceId }.Order(), c.Map!.Peers.Select(p => p.DeviceId).Order());
        Assert.True(c.Map.Peers.All(p => p.Online));
        Assert.Equal([$"{c.Enrolment.VirtualIPv4}/32", $"{c.Enrolment.VirtualIPv6}/128"], a.Peer(c)!.AllowedIps);

        await carol.Client.LeaveNetworkAsync(net.Id);
        await a.WaitUntilAsync(x => x.Peer(c) is null, "carol removed");
        await b.WaitUntilAsync(x => x.Peer(c) is null, "carol removed");
        await c.WaitUntilAsync(x => x.Map!.Networks.Count == 0 && x.Map.Peers.Count == 0, "carol's map emptied");

        await owner.Client.EvictMemberAsync(net.Id, bob.Id);
        await a.WaitUntilAsync(x => x.Peer(b) is null, "bob evicted");
        await b.WaitUntilAsync(x => x.Map!.Peers.Count == 0, "bob's map emptied");

        Assert.Empty(outsider.Map!.Peers);
        Assert.DoesNotContain("delta", outsider.Received); // not affected, never told
    }

    [SkippableFact]
    public async Task A_NAT_report_is_stored_validated_and_its_mapped_endpoint_becomes_the_peers_first_candidate()
    {
        var f = await world.GetAsync();
        var (owner, bob) = (await TestUser.CreateAsync(f, "owner"), await TestUser.CreateAsync(f, "bob"));
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("mesh", JoinPolicy: JoinPolicy.Open));
        await bob.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await using var a = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "a");
        await using var b = await TestAgent.EnrolWithSetupKeyAsync(f, bob, "b");
        await a.ConnectAndLoginAsync(f);
        await b.ConnectAndLoginAsync(f);
        var relay = Guid.NewGuid();
        var nat = new NatReport("192.0.2.18:41641", true, false, true, false, false, "endpoint-independent", "address-and-port-dependent",
            [new RelayLatency(relay, "eu-1", 12.5), new RelayLatency(Guid.NewGuid(), "far", 1e9)]);

        await a.Connection.InvokeAsync(nameof(IAgentHub.ReportDiscovery), new DiscoveryReport(["198.18.2.11:41641"], 41641, nat));

        await b.WaitUntilAsync(x => x.Peer(a)?.Endpoints is [var first, ..] && first == "192.0.2.18:41641", "a's server-reflexive endpoint first");
        Assert.Contains("198.18.2.11:41641", b.Peer(a)!.Endpoints);
        var stored = (await owner.Client.ListDevicesAsync()).Single(d => d.Id == a.DeviceId).Nat;
        Assert.Equal(nat with { Relays = null }, stored! with { Relays = null });
        Assert.Equal([new RelayLatency(relay, "eu-1", 12.5)], stored.Relays!); // an impossible latency is dropped

        await a.Connection.InvokeAsync(nameof(IAgentHub.ReportDiscovery), new DiscoveryReport([], 41641, nat with { Mapping = "weird", MappedEndpoint = "not an endpoint" }));
        await WaitForAsync(async () => (await owner.Client.ListDevicesAsync()).Single(d => d.Id == a.DeviceId).Nat is { Mapping: null, MappedEndpoint: null }, "garbage fields cleared");
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 100 && !await condition(); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        Assert.True(await condition(), $"timed out waiting for {what}");
    }

    [SkippableFact]
    public async Task Hub_and_spoke_and_gateway_visibility_in_live_maps()
    {
        var f = await world.GetAsync();
        var (owner, s1, s2) = (await TestUser.CreateAsync(f, "hub"), await TestUser.CreateAsync(f, "s1"), await TestUser.CreateAsync(f, "s2"));
        var spokes = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("spokes", NetworkType.HubAndSpoke, JoinPolicy: JoinPolicy.Open));
        var gateway = await TestPlans.CreateGatewayNetworkAsync(f, owner, "gw");
        foreach (var u in new[] { s1, s2 })
        {
            await u.Client.JoinNetworkAsync(new JoinNetworkRequest(spokes.NetworkId));
        }

        await using var hub = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "hub");
        await using var a = await TestAgent.EnrolWithSetupKeyAsync(f, s1, "a");
        await using var b = await TestAgent.EnrolWithSetupKeyAsync(f, s2, "b");
        await hub.ConnectAndLoginAsync(f);
        await a.ConnectAndLoginAsync(f);
        await b.ConnectAndLoginAsync(f);
        Assert.Equal([hub.DeviceId], a.Map!.Peers.Select(p => p.DeviceId));
        Assert.Equal([hub.DeviceId], b.Map!.Peers.Select(p => p.DeviceId));
        await hub.WaitUntilAsync(x => x.Map!.Peers.Count == 2, "both spokes");

        // The same accounts in a gateway network: members reach the gateway only, and do not see each other.
        await s1.Client.JoinNetworkAsync(new JoinNetworkRequest(gateway.NetworkId));
        await s2.Client.JoinNetworkAsync(new JoinNetworkRequest(gateway.NetworkId));
        await a.WaitUntilAsync(x => x.Map!.Networks.Any(n => n.Id == gateway.Id), "the gateway network");
        var gw = a.Map!.Networks.Single(n => n.Id == gateway.Id);
        Assert.DoesNotContain(gw.Members, m => m.DeviceId == b.DeviceId);
        Assert.Equal([hub.DeviceId], a.Map.Peers.Select(p => p.DeviceId));
        await hub.WaitUntilAsync(x => x.Peer(a)?.NetworkIds.Count == 2 && x.Peer(b)?.NetworkIds.Count == 2, "spokes through both networks");
    }

    [SkippableFact]
    public async Task A_drop_without_goodbye_asks_peers_to_verify_and_a_goodbye_marks_offline_at_once()
    {
        var f = await world.GetAsync();
        var (owner, bob, carol) = (await TestUser.CreateAsync(f), await TestUser.CreateAsync(f), await TestUser.CreateAsync(f));
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("loss", JoinPolicy: JoinPolicy.Open));
        await bob.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await carol.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await using var a = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "a");
        await using var b = await TestAgent.EnrolWithSetupKeyAsync(f, bob, "b");
        await using var c = await TestAgent.EnrolWithSetupKeyAsync(f, carol, "c");
        await a.ConnectAndLoginAsync(f);
        await b.ConnectAndLoginAsync(f);
        await c.ConnectAndLoginAsync(f);
        await a.WaitUntilAsync(x => x.Peer(b)?.Online == true && x.Peer(c)?.Online == true, "both online");

        await b.Connection.StopAsync(); // no Goodbye: the server lost it
        await a.WaitUntilAsync(x => x.VerifyRequests.Any(r => r.DeviceIds.Contains(b.DeviceId)), "verify b");
        await c.WaitUntilAsync(x => x.VerifyRequests.Any(r => r.DeviceIds.Contains(b.DeviceId)), "verify b");
        Assert.True(a.Peer(b)!.Online); // still online for its peers during the grace period

        await c.Connection.InvokeAsync(nameof(IAgentHub.Goodbye));
        await c.Connection.StopAsync();
        await a.WaitUntilAsync(x => x.Peer(c)?.Online == false, "c offline after goodbye");
        Assert.DoesNotContain(a.VerifyRequests, r => r.DeviceIds.Contains(c.DeviceId));
    }

    [SkippableFact]
    public async Task Many_joins_in_one_tick_cost_one_message_per_affected_device_and_the_grace_period_ends_in_offline()
    {
        await using var f = await ApiFactory.CreateAsync(Provider, new Dictionary<string, string>
        {
            ["ControlPlane:BatchIntervalMilliseconds"] = "3600000", // the test ticks by hand
            ["ControlPlane:OfflineGraceSeconds"] = "1",
        });
        var batcher = f.Services.GetRequiredService<MapUpdateBatcher>();
        var (owner, early) = (await TestUser.CreateAsync(f, "owner"), await TestUser.CreateAsync(f, "early"));
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("busy", JoinPolicy: JoinPolicy.Open));
        await early.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await using var a = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "a");
        await using var x = await TestAgent.EnrolWithSetupKeyAsync(f, early, "x");
        await a.ConnectAndLoginAsync(f);
        await x.ConnectAndLoginAsync(f);
        await batcher.FlushAsync(CancellationToken.None);
        await a.WaitUntilAsync(t => t.Peer(x)?.Online == true, "x online");
        var (aBefore, xBefore) = (a.Received.Count, x.Received.Count);

        var joiners = new List<TestAgent>();
        for (var i = 0; i < 3; i++) // the Free plan seats 5
        {
            var user = await TestUser.CreateAsync(f, "joiner" + i);
            joiners.Add(await TestAgent.EnrolWithSetupKeyAsync(f, user, "j" + i));
            await user.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        }

        Assert.Equal(2, await batcher.FlushAsync(CancellationToken.None)); // one delta for a, one for x
        await a.WaitUntilAsync(t => t.Map!.Peers.Count == 4, "all joiners");
        await x.WaitUntilAsync(t => t.Map!.Peers.Count == 4, "all joiners");
        Assert.Equal(["delta"], a.Received.Skip(aBefore));
        Assert.Equal(["delta"], x.Received.Skip(xBefore));
        Assert.Equal(0, await batcher.FlushAsync(CancellationToken.None)); // nothing changed: nothing sent

        // The server learns of the drop asynchronously: tick until it has (a CI run flushed once
        // before the disconnect was processed and waited for nothing).
        await x.Connection.StopAsync();
        await FlushUntilAsync(batcher, () => a.VerifyRequests.Count == 1, "verify x");
        await Task.Delay(TimeSpan.FromSeconds(1.2), TimeProvider.System);
        await FlushUntilAsync(batcher, () => a.Peer(x)?.Online == false, "x offline after the grace period");

        foreach (var j in joiners)
        {
            await j.DisposeAsync();
        }
    }

    private static async Task FlushUntilAsync(MapUpdateBatcher batcher, Func<bool> condition, string what)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await batcher.FlushAsync(CancellationToken.None);
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        Assert.True(condition(), $"timed out waiting for {what}");
    }
}

public sealed class SqliteControlPresenceTests(SqliteWorld world) : ControlPresenceTests(world), IClassFixture<SqliteWorld>
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresControlPresenceTests(PostgresWorld world) : ControlPresenceTests(world), IClassFixture<PostgresWorld>
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
