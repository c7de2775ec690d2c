using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Protocol.Control;
using Microsoft.AspNetCore.SignalR.Client;

namespace HamachiCloud.Api.Tests;

/// <summary>Agents report their paths over the hub; members read them per network over REST.</summary>
public abstract class ControlPathTests(ApiWorld world)
{
    [SkippableFact]
    public async Task Path_reports_are_kept_per_device_pair_and_listed_for_members_only()
    {
        var f = await world.GetAsync();
        var (owner, bob) = (await TestUser.CreateAsync(f, "owner"), await TestUser.CreateAsync(f, "bob"));
        var outsider = await TestUser.CreateAsync(f, "outsider");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("paths"));
        await bob.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await using var a = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "a");
        await using var b = await TestAgent.EnrolWithSetupKeyAsync(f, bob, "b");
        await a.ConnectAndLoginAsync(f);
        await b.ConnectAndLoginAsync(f);
        await a.WaitUntilAsync(x => x.Peer(b)?.Online == true, "b online");
        await b.WaitUntilAsync(x => x.Peer(a)?.Online == true, "a online");

        await a.Connection.InvokeAsync(nameof(IAgentHub.ReportPaths), new PathReport(
        [
            new PeerPathReport(a.Peer(b)!.NodeKey, PathKinds.Direct, "198.51.100.2:41641", ["198.51.100.2:41641 srflx 2 answered", "198.18.0.2:41641 host 2 silent"], null, 12.5),
            new PeerPathReport(a.Peer(b)!.NodeKey[..10], PathKinds.Direct, null, [], null, 1), // not a key: dropped
            new PeerPathReport(Convert.ToBase64String(new byte[32]), PathKinds.Relay, null, [], null, 1), // nobody's key: dropped
            new PeerPathReport(a.Peer(b)!.NodeKey, "teleport", null, [], null, 1), // not a path kind: dropped
        ]));
        await b.Connection.InvokeAsync(nameof(IAgentHub.ReportPaths), new PathReport(
            [new PeerPathReport(b.Peer(a)!.NodeKey, PathKinds.Relay, "relay", ["203.0.113.9:51820 srflx 6 silent"], "no answer from 1 candidate(s)", 40, true)]));

        var paths = await owner.Client.ListNetworkPathsAsync(net.Id);
        Assert.Equal(2, paths.Count);
        var ab = paths.Single(p => p.DeviceId == a.DeviceId);
        Assert.Equal((b.DeviceId, "direct", "198.51.100.2:41641", 12.5), (ab.PeerDeviceId, ab.Path, ab.Endpoint, ab.RttMilliseconds!.Value));
        Assert.Equal(2, ab.CandidatesTried.Count);
        var ba = paths.Single(p => p.DeviceId == b.DeviceId);
        Assert.Equal(("relay", "no answer from 1 candidate(s)", true), (ba.Path, ba.WhyNotDirect, ba.RelayOverWebSocket));

        // A newer report replaces the older one.
        await a.Connection.InvokeAsync(nameof(IAgentHub.ReportPaths), new PathReport([new PeerPathReport(a.Peer(b)!.NodeKey, PathKinds.Relay, null, [], "direct path stopped answering", 30)]));
        Assert.Equal("relay", (await bob.Client.ListNetworkPathsAsync(net.Id)).Single(p => p.DeviceId == a.DeviceId).Path);

        var refused = await Assert.ThrowsAsync<HamachiApiException>(() => outsider.Client.ListNetworkPathsAsync(net.Id));
        Assert.Equal((404, ErrorCodes.NotFound), (refused.Status, refused.Code));
    }
}

public sealed class SqliteControlPathTests(SqliteWorld world) : ControlPathTests(world), IClassFixture<SqliteWorld>;

public sealed class PostgresControlPathTests(PostgresWorld world) : ControlPathTests(world), IClassFixture<PostgresWorld>;
