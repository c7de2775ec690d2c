using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Migrations;
using HamachiCloud.Testing;

namespace HamachiCloud.Api.Tests;

/// <summary>Two Api nodes on one PostgreSQL database and one Redis: presence crosses nodes through the backplane.</summary>
public sealed class ControlScaleOutTests
{
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
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("two nodes"));
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
}
