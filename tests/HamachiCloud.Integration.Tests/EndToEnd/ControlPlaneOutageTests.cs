using System.Diagnostics;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Integration.Tests.Lab;
using HamachiCloud.Protocol.Networks;
using HamachiCloud.Testing;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.EndToEnd;

/// <summary>
/// Tunnels outlive the server: the Api process is really stopped for 60 s (host disposed) while
/// agents ping each other over their existing tunnels; an agent restarted meanwhile restores its
/// tunnels from the signed cache; a new Api on the same database and identity keys comes back and
/// every agent logs in again within 30 s.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class ControlPlaneOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task Server_stopped_for_60_s_ping_loses_under_1_percent_a_restarted_agent_restores_from_cache_and_all_log_in_within_30_s_of_its_return()
    {
        Requires.Root();
        Requires.Command("ping");
        await using var lab = await ControlLab.StartAsync(4, output);
        var owner = await lab.Api.SignUpAsync("owner");
        var network = await owner.CreateNetworkAsync(new CreateNetworkRequest("resilient", JoinPolicy: JoinPolicy.Open));
        var a = await lab.AddAgentAsync(owner, "a");
        var b = await lab.AddAgentAsync(await lab.Api.SignUpAsync("b"), "b");
        var c = await lab.AddAgentAsync(await lab.Api.SignUpAsync("c"), "c");
        b.Command("join", network.NetworkId);
        c.Command("join", network.NetworkId);
        var formed = Stopwatch.StartNew();
        foreach (var (from, to) in new[] { (b, a), (c, a), (c, b) })
        {
            Assert.True(Pings.FirstAnswer(from.Namespace, to.IPv4, TimeSpan.FromSeconds(30), formed) < TimeSpan.FromSeconds(30), $"{from.Name} never reached {to.Name}");
        }

        using var ping = new Pings.Continuous(b.Namespace, a.IPv4, TimeSpan.FromMilliseconds(200));
        await lab.Api.StopAsync();
        var outage = Stopwatch.StartNew();
        output.WriteLine("Api stopped (host disposed); ping b → a every 200 ms");

        // An agent restarted while the server is down gets its tunnels back from its signed cache.
        c.Stop();
        c.Start("restored 2 tunnel(s)");
        var restored = Stopwatch.StartNew();
        Assert.True(Pings.FirstAnswer(c.Namespace, a.IPv4, TimeSpan.FromSeconds(10), restored) < TimeSpan.FromSeconds(10), $"no tunnel from the cache: {c.Daemon.Output}");
        Assert.True(Pings.FirstAnswer(c.Namespace, b.IPv4, TimeSpan.FromSeconds(10), restored) < TimeSpan.FromSeconds(10), $"no tunnel from the cache: {c.Daemon.Output}");
        output.WriteLine($"restarted agent c pinged both peers {restored.Elapsed.TotalSeconds:0.00} s after it started, the server still down");

        Thread.Sleep(Outage - outage.Elapsed);
        ping.Stop();
        output.WriteLine($"during the {outage.Elapsed.TotalSeconds:0.0} s outage, b → a: {ping.Summary}");
        Assert.True(ping.Transmitted >= 250, $"ping did not run through the outage: {ping.Summary}");
        Assert.True(ping.LossPercent < 1, $"loss over existing tunnels while the server was down: {ping.Summary}");

        lab.Api.Restart();
        var returned = Stopwatch.StartNew();
        Assert.True(a.Daemon.WaitFor(DaemonProcess.LoggedIn, 2, TimeSpan.FromSeconds(30)), $"a did not log in again: {a.Daemon.Output}");
        Assert.True(b.Daemon.WaitFor(DaemonProcess.LoggedIn, 2, TimeSpan.FromSeconds(30)), $"b did not log in again: {b.Daemon.Output}");
        Assert.True(c.Daemon.WaitFor(DaemonProcess.LoggedIn, 1, TimeSpan.FromSeconds(30)), $"restarted c did not log in: {c.Daemon.Output}");
        var back = returned.Elapsed;
        output.WriteLine($"all agents logged in again {back.TotalSeconds:0.0} s after the new Api started (target < 30 s)");
        Assert.True(back < TimeSpan.FromSeconds(30));
        Assert.True(Pings.Answers(a.Namespace, c.IPv4, TimeSpan.FromSeconds(5)), "tunnels lost after the server returned");
    }
}
