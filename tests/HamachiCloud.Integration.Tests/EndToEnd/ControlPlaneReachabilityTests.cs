using System.Diagnostics;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Integration.Tests.Lab;
using HamachiCloud.Protocol.Networks;
using HamachiCloud.Testing;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.EndToEnd;

/// <summary>
/// Who reaches whom, with real agents in namespaces and the real Api: hub-and-spoke (spokes reach
/// the hub, not each other), eviction (peers stop reaching the evicted member within 2 s) and
/// go-offline / go-online (one device leaves and re-enters a network's tunnels).
/// </summary>
[Collection(LabCollection.Name)]
public sealed class ControlPlaneReachabilityTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(3);

    [SkippableFact]
    public async Task Hub_and_spoke_spokes_reach_the_hub_the_hub_reaches_spokes_and_spokes_do_not_reach_each_other()
    {
        Requires.Root();
        Requires.Command("ping");
        await using var lab = await ControlLab.StartAsync(4, output);
        var owner = await lab.Api.SignUpAsync("hub-owner");
        var network = await owner.CreateNetworkAsync(new CreateNetworkRequest("office", NetworkType.HubAndSpoke, JoinPolicy: JoinPolicy.Open));
        var hub = await lab.AddAgentAsync(owner, "hub"); // the creator is the network's hub
        var spoke1 = await lab.AddAgentAsync(await lab.Api.SignUpAsync("spoke1"), "spoke1");
        var spoke2 = await lab.AddAgentAsync(await lab.Api.SignUpAsync("spoke2"), "spoke2");
        spoke1.Command("join", network.NetworkId);
        spoke2.Command("join", network.NetworkId);
        var clock = Stopwatch.StartNew();

        foreach (var (from, to) in new[] { (spoke1, hub), (spoke2, hub), (hub, spoke1), (hub, spoke2) })
        {
            var t = Pings.FirstAnswer(from.Namespace, to.IPv4, Formation, clock);
            Assert.True(t < Formation, $"{from.Name} → {to.Name} never answered");
            output.WriteLine($"{from.Name} → {to.Name}: first answer {t.TotalSeconds:0.00} s after the last join");
        }

        // Every tunnel that should exist is up; the spokes have one tunnel each (the hub), and no path to each other.
        Assert.False(Pings.Answers(spoke1.Namespace, spoke2.IPv4, Silence), "spoke1 reached spoke2 in a hub-and-spoke network");
        Assert.False(Pings.Answers(spoke2.Namespace, spoke1.IPv4, Silence), "spoke2 reached spoke1 in a hub-and-spoke network");
        output.WriteLine($"spoke1 ⇄ spoke2: no answer within {Silence.TotalSeconds:0} s either way");
        Assert.Equal(2, hub.Status().Tunnels);
        Assert.Equal(1, spoke1.Status().Tunnels);
        Assert.Equal(1, spoke2.Status().Tunnels);
    }

    [SkippableFact]
    public async Task Evicting_a_member_its_peers_stop_reaching_it_within_2_s()
    {
        Requires.Root();
        Requires.Command("ping");
        await using var lab = await ControlLab.StartAsync(4, output);
        var owner = await lab.Api.SignUpAsync("admin");
        var network = await owner.CreateNetworkAsync(new CreateNetworkRequest("evictions", JoinPolicy: JoinPolicy.Open));
        var admin = await lab.AddAgentAsync(owner, "admin");
        var stayer = await lab.AddAgentAsync(await lab.Api.SignUpAsync("stayer"), "stayer");
        var leaverAccount = await lab.Api.SignUpAsync("leaver");
        var leaver = await lab.AddAgentAsync(leaverAccount, "leaver");
        stayer.Command("join", network.NetworkId);
        leaver.Command("join", network.NetworkId);
        var clock = Stopwatch.StartNew();
        Assert.True(Pings.FirstAnswer(admin.Namespace, leaver.IPv4, Formation, clock) < Formation, "admin never reached leaver");
        Assert.True(Pings.FirstAnswer(stayer.Namespace, leaver.IPv4, Formation, clock) < Formation, "stayer never reached leaver");

        using var fromAdmin = new Pings.Continuous(admin.Namespace, leaver.IPv4, TimeSpan.FromMilliseconds(50));
        using var fromStayer = new Pings.Continuous(stayer.Namespace, leaver.IPv4, TimeSpan.FromMilliseconds(50));
        Thread.Sleep(1000); // replies flowing before the eviction
        var leaverId = (await leaverAccount.GetMeAsync()).Id;
        await owner.EvictMemberAsync(network.Id, leaverId);
        var evicted = TimeProvider.System.GetUtcNow();
        Thread.Sleep(TimeSpan.FromSeconds(2) + Silence); // the 2 s allowance, then a silent stretch
        var stopped = TimeProvider.System.GetUtcNow();

        foreach (var (name, ping) in new[] { ("admin", fromAdmin.Stop()), ("stayer", fromStayer.Stop()) })
        {
            var before = ping.Replies.Count(r => r < evicted);
            var last = ping.Replies.Count == 0 ? DateTimeOffset.MinValue : ping.Replies.Max();
            var after = last - evicted;
            output.WriteLine($"{name} → leaver: {before} replies before the evict call returned, last reply {after.TotalMilliseconds:0} ms after it ({ping.Summary})");
            Assert.True(before > 0, $"{name} → leaver: no reply before the eviction, the measurement is void");
            Assert.True(after < TimeSpan.FromSeconds(2), $"{name} still reached the evicted member {after.TotalMilliseconds:0} ms after the evict call returned");
            Assert.True(stopped - last > Silence, $"{name} → leaver answered again after {after.TotalMilliseconds:0} ms");
        }

        Assert.True(LabAgent.Eventually(() => leaver.Status().Tunnels == 0, TimeSpan.FromSeconds(5)), "the evicted agent kept tunnels");
        Assert.Equal(1, admin.Status().Tunnels);
        Assert.True(Pings.Answers(admin.Namespace, stayer.IPv4, TimeSpan.FromSeconds(5)), "the remaining members lost each other");
    }

    [SkippableFact]
    public async Task Go_offline_tears_down_that_networks_tunnels_and_go_online_restores_them()
    {
        Requires.Root();
        Requires.Command("ping");
        await using var lab = await ControlLab.StartAsync(4, output);
        var owner = await lab.Api.SignUpAsync("owner");
        var network = await owner.CreateNetworkAsync(new CreateNetworkRequest("lan", JoinPolicy: JoinPolicy.Open));
        var a = await lab.AddAgentAsync(owner, "a");
        var b = await lab.AddAgentAsync(await lab.Api.SignUpAsync("b"), "b");
        var c = await lab.AddAgentAsync(await lab.Api.SignUpAsync("c"), "c");
        b.Command("join", network.NetworkId);
        c.Command("join", network.NetworkId);
        var clock = Stopwatch.StartNew();
        Assert.True(Pings.FirstAnswer(b.Namespace, a.IPv4, Formation, clock) < Formation, "b never reached a");
        Assert.True(Pings.FirstAnswer(c.Namespace, a.IPv4, Formation, clock) < Formation, "c never reached a");
        Assert.Equal(2, b.Status().Tunnels);

        a.Command("go-offline", network.NetworkId);
        var offline = Stopwatch.StartNew();
        Assert.True(LabAgent.Eventually(() => a.Status().Tunnels == 0 && b.Status().Tunnels == 1 && c.Status().Tunnels == 1, TimeSpan.FromSeconds(5)),
            $"tunnels after go-offline: a {a.Status().Tunnels}, b {b.Status().Tunnels}, c {c.Status().Tunnels} (want 0, 1, 1)");
        output.WriteLine($"go-offline: a has no tunnel and b, c dropped a's, confirmed by hamachi status {offline.Elapsed.TotalMilliseconds:0} ms after the command returned (includes the CLI calls)");
        Assert.False(Pings.Answers(b.Namespace, a.IPv4, Silence), "b still reaches a after a went offline in the network");
        Assert.False(Pings.Answers(a.Namespace, c.IPv4, Silence), "a still reaches c after going offline in the network");
        Assert.True(Pings.Answers(b.Namespace, c.IPv4, TimeSpan.FromSeconds(5)), "b and c lost each other when only a went offline");
        Assert.Contains(a.List(), n => n.NetworkId == network.NetworkId && !n.Online);

        a.Command("go-online", network.NetworkId);
        var online = Stopwatch.StartNew();
        var back = Pings.FirstAnswer(b.Namespace, a.IPv4, TimeSpan.FromSeconds(10), online);
        Assert.True(back < TimeSpan.FromSeconds(10), "b did not reach a after go-online");
        Assert.True(Pings.Answers(a.Namespace, c.IPv4, TimeSpan.FromSeconds(10)), "a did not reach c after go-online");
        output.WriteLine($"go-online: b reached a again {back.TotalSeconds:0.00} s after the command returned");
        Assert.Equal(2, a.Status().Tunnels);
    }
}
