using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Networks;
using HamachiCloud.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace HamachiCloud.Api.Tests;

/// <summary>Two Api nodes on one PostgreSQL database and one Redis: presence crosses nodes through the backplane, path reports through the database.</summary>
public sealed class ControlScaleOutTests
{
    [SkippableFact]
    public async Task A_path_report_sent_to_node_A_is_listed_by_node_B()
    {
        var redis = Requires.Redis();
        var settings = new Dictionary<string, string> { ["Redis:Connection"] = redis };
        await using var nodeA = await ApiFactory.CreateAsync(DatabaseProvider.Postgres, settings);
        _ = nodeA.Server;
        await using var nodeB = nodeA.CreateSecondNode();
        _ = nodeB.Server;

        var (owner, net, a, b) = await ControlPathTests.TwoAgentsAsync(nodeA, "paths across nodes");
        await using var _a = a;
        await using var _b = b;
        await a.Connection.InvokeAsync(nameof(IAgentHub.ReportPaths), new PathReport([ControlPathTests.Direct(a, b)]));
        await b.Connection.InvokeAsync(nameof(IAgentHub.ReportPaths), new PathReport(
            [new PeerPathReport(b.Peer(a)!.NodeKey, PathKinds.Relay, "relay", ["203.0.113.9:51820 srflx 6 silent"], "no answer from 1 candidate(s)", 40, true)]));

        var onB = new HamachiCloud.Api.Contracts.Client.HamachiClient(nodeB.CreateClient());
        onB.UseAccessToken(owner.Tokens.AccessToken);
        var (fromA, fromB) = (await owner.Client.ListNetworkPathsAsync(net.Id), await onB.ListNetworkPathsAsync(net.Id));
        Assert.Equal(2, fromB.Count);
        Assert.Equal(fromA, fromB, PathEquality.Instance);
        var ab = fromB.Single(p => p.DeviceId == a.DeviceId);
        Assert.Equal((b.DeviceId, "direct", "198.51.100.2:41641", 12.5, 2), (ab.PeerDeviceId, ab.Path, ab.Endpoint, ab.RttMilliseconds!.Value, ab.CandidatesTried.Count));
        var ba = fromB.Single(p => p.DeviceId == b.DeviceId);
        Assert.Equal(("relay", "no answer from 1 candidate(s)", true), (ba.Path, ba.WhyNotDirect, ba.RelayOverWebSocket));
    }

    /// <summary>Record equality by value, the candidate list included.</summary>
    private sealed class PathEquality : IEqualityComparer<HamachiCloud.Api.Contracts.Paths.PeerPathDto>
    {
        public static readonly PathEquality Instance = new();

        public bool Equals(HamachiCloud.Api.Contracts.Paths.PeerPathDto? x, HamachiCloud.Api.Contracts.Paths.PeerPathDto? y) =>
            x is not null && y is not null && x with { CandidatesTried = [] } == y with { CandidatesTried = [] } && x.CandidatesTried.SequenceEqual(y.CandidatesTried);

        public int GetHashCode(HamachiCloud.Api.Contracts.Paths.PeerPathDto obj) => obj.DeviceId.GetHashCode();
    }

    [SkippableFact]
    public async Task An_agent_on_node_A_sees_an_agent_that_logs_in_on_node_B()
    {
        var redis = Requires.Redis();
        var settings = new Dictionary<string, string> { ["Redis:Connection"] = redis };
        await using var nodeA = await ApiFactory.CreateAsync(DatabaseProvider.Postgres, settings);
        _ = nodeA.Server;
        await using var nodeB = nodeA.CreateSecondNode();
        _ = nodeB.Server;

        var owner = await TestUser.CreateAsync(nodeA, "owner");
        var bob = await TestUser.CreateAsync(nodeA, "bob");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("two nodes", JoinPolicy: JoinPolicy.Open));
        await bob.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await using var a = await TestAgent.EnrolWithSetupKeyAsync(nodeA, owner, "on-a");
        await using var b = await TestAgent.EnrolWithSetupKeyAsync(nodeB, bob, "on-b");
        Assert.Equal(a.Enrolment.ServerIdentityKey, b.Enrolment.ServerIdentityKey); // one identity for the deployment

        await a.ConnectAndLoginAsync(nodeA);
        Assert.False(a.Peer(b)!.Online);
        await b.ConnectAndLoginAsync(nodeB); // node B's tick pushes to a's session on node A over Redis
        await a.WaitUntilAsync(x => x.Peer(b)?.Online == true, "b online, seen across nodes");

        await b.Connection.StopAsync();
        await a.WaitUntilAsync(x => x.VerifyRequests.Any(r => r.DeviceIds.Contains(b.DeviceId)), "verify b across nodes");
    }

    [SkippableFact]
    public async Task When_a_node_dies_its_devices_are_verified_by_their_peers_and_go_offline()
    {
        var redis = Requires.Redis();
        var settings = new Dictionary<string, string>
        {
            ["Redis:Connection"] = redis,
            ["ControlPlane:NodeHeartbeatSeconds"] = "1",
            ["ControlPlane:NodeTimeoutSeconds"] = "3",
            ["ControlPlane:OfflineGraceSeconds"] = "2",
        };
        await using var nodeA = await ApiFactory.CreateAsync(DatabaseProvider.Postgres, settings);
        _ = nodeA.Server;
        var nodeB = nodeA.CreateSecondNode(settings);
        _ = nodeB.Server;

        var owner = await TestUser.CreateAsync(nodeA, "owner");
        var bob = await TestUser.CreateAsync(nodeA, "bob");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("node dies", JoinPolicy: JoinPolicy.Open));
        await bob.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await using var a = await TestAgent.EnrolWithSetupKeyAsync(nodeA, owner, "on-a");
        var b = await TestAgent.EnrolWithSetupKeyAsync(nodeB, bob, "on-b");
        await a.ConnectAndLoginAsync(nodeA);
        await b.ConnectAndLoginAsync(nodeB);
        await a.WaitUntilAsync(x => x.Peer(b)?.Online == true, "b online, seen across nodes");

        // Node B goes away with b's session (its own grace timers go with it): only node A is left to notice.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await nodeB.DisposeAsync();
        await b.DisposeAsync();
        await a.WaitUntilAsync(x => x.VerifyRequests.Any(r => r.DeviceIds.Contains(b.DeviceId)), "node A asks a to verify b", TimeSpan.FromSeconds(20));
        await a.WaitUntilAsync(x => x.Peer(b)?.Online == false, "b offline for a after node B died", TimeSpan.FromSeconds(20));
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 15);
    }
}
