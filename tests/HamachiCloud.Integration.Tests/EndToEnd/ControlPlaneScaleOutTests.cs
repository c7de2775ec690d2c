using System.Diagnostics;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Tests;
using HamachiCloud.Integration.Tests.Lab;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Networks;
using HamachiCloud.Testing;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.EndToEnd;

/// <summary>
/// Two Api nodes of one deployment (one PostgreSQL database, one Redis backplane, one identity key
/// directory), each at its own lab address; agent A lives on node 1, agent B on node 2: A sees B
/// go online through the backplane and they ping each other over the overlay.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class ControlPlaneScaleOutTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Agent_on_node_1_sees_an_agent_on_node_2_go_online_and_they_ping_over_PostgreSQL_and_Redis()
    {
        Requires.Root();
        Requires.Command("ping");
        var redis = Requires.Redis();
        _ = Requires.Postgres();
        var settings = new Dictionary<string, string> { ["Redis:Connection"] = redis };
        await using var lab = await ControlLab.StartAsync(4, output, await ApiFactory.CreateAsync(DatabaseProvider.Postgres, settings));
        lab.ReserveServerHosts(1);
        await using var node2 = LabApi.Start(lab.Api.Factory.CreateSecondNode(), lab.Hosts.Hosts[1].Namespace, lab.Hosts.Hosts[1].Underlay);
        output.WriteLine($"node 1 at {lab.Api.Url}, node 2 at {node2.Url}");

        var owner = await lab.Api.SignUpAsync("owner");
        var bob = await LabApi.SignUpAsync(node2.Factory, "bob");
        var network = await owner.CreateNetworkAsync(new CreateNetworkRequest("two nodes", JoinPolicy: JoinPolicy.Open));
        var a = await lab.AddAgentAsync(owner, "a");
        var b = await lab.AddAgentAsync(bob, "b", via: node2);
        Assert.Equal(a.Enrolment.ServerIdentityKey, b.Enrolment.ServerIdentityKey);
        b.Command("join", network.NetworkId); // a command on node 2; a's update comes from node 2's tick over Redis
        Assert.True(LabAgent.Eventually(() => MemberOnline(a, "b"), TimeSpan.FromSeconds(10)), "a did not see b after b joined on node 2");

        // b goes offline (clean goodbye on node 2), then comes back: a, on node 1, sees both.
        b.Stop();
        Assert.True(LabAgent.Eventually(() => !MemberOnline(a, "b"), TimeSpan.FromSeconds(10)), "a did not see b go offline");
        b.Start();
        var online = Stopwatch.StartNew();
        var first = Pings.FirstAnswer(a.Namespace, b.IPv4, TimeSpan.FromSeconds(20), online);
        Assert.True(first < TimeSpan.FromSeconds(20), $"a (node 1) never reached b (node 2): {a.Daemon.Output}");
        output.WriteLine($"b logged in on node 2; a on node 1 pinged it {first.TotalSeconds:0.00} s later");
        Assert.True(MemberOnline(a, "b"), "a lists b as offline");
        Assert.True(Pings.Answers(b.Namespace, a.IPv4, TimeSpan.FromSeconds(5)), "b (node 2) does not reach a (node 1)");
    }

    private static bool MemberOnline(LabAgent viewer, string deviceName) =>
        viewer.List().SelectMany(n => n.Members).Any(m => m.DeviceName == deviceName && m.Online);
}
