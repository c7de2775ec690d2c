using System.Diagnostics;
using HamachiCloud.Integration.Tests.EndToEnd;
using HamachiCloud.Testing;
using HamachiCloud.Testing.Net;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.Nat;

/// <summary>
/// A relay dies under a relayed pair: two symmetric sites (no direct path) talk through the first of two relays;
/// its process is killed; both agents notice their keepalive Binds going unanswered, drop it, fetch tokens again
/// and meet on the second relay, and pings flow again without anyone doing anything.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class RelayFailoverTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task When_the_relay_dies_a_relayed_pair_moves_to_the_other_relay()
    {
        Requires.Root();
        Requires.Command("nft");
        Requires.Command("ping");
        using var lab = NatLab.Create(SiteKind.Symmetric, SiteKind.Symmetric);
        await using var world = await TraversalLab.StartAsync(lab, lab.Sites[0].Host, lab.Sites[1].Host, secondRelay: true);
        var (a, b) = (world.Agents[0], world.Agents[1]);
        Assert.True(ControlPlaneMeshTests.FirstAnswer(a.Host.Namespace, b.IPv4, TimeSpan.FromSeconds(30), world.SinceBothOnline) != TimeSpan.MaxValue, world.Logs());
        Assert.Equal("relay", a.WaitForPath(b, p => p == "relay", TimeSpan.FromSeconds(20)).Path);
        Assert.Equal("relay", b.WaitForPath(a, p => p == "relay", TimeSpan.FromSeconds(20)).Path);

        world.Relay!.Dispose(); // the first relay (the Api's first choice, carrying the pair) is gone for good
        var killed = Stopwatch.StartNew();
        var again = ControlPlaneMeshTests.FirstAnswer(a.Host.Namespace, b.IPv4, TimeSpan.FromSeconds(60), killed);
        var back = ControlPlaneMeshTests.FirstAnswer(b.Host.Namespace, a.IPv4, TimeSpan.FromSeconds(10), Stopwatch.StartNew());
        output.WriteLine($"first relay killed: pings answered again through the second relay {(again == TimeSpan.MaxValue ? "never" : $"{again.TotalSeconds:0.0} s")} later "
            + $"(keepalive every {Agent.Engine.Traversal.RelayClient.RebindInterval.TotalSeconds:0} s, relay dropped after {Agent.Engine.Traversal.RelayClient.RelayDeadAfter.TotalSeconds:0} s without BindOk)");

        Assert.True(again != TimeSpan.MaxValue, $"no ping answered within 60 s of the relay's death\n{world.Logs()}");
        Assert.True(back != TimeSpan.MaxValue, $"no ping answered the other way\n{world.Logs()}");
        foreach (var agent in world.Agents)
        {
            // They were on the first relay, noticed its death themselves, and now bind on the second.
            Assert.Contains($"relay {lab.Server.Primary}:3478: no BindOk for", agent.Daemon.Output, StringComparison.Ordinal);
        }

        Assert.Equal("relay", a.PathTo(b).Path);
    }
}
