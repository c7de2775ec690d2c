using System.Diagnostics;
using System.Text.RegularExpressions;
using HamachiCloud.Integration.Tests.EndToEnd;
using HamachiCloud.Testing;
using HamachiCloud.Testing.Net;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.Nat;

/// <summary>
/// Issue 5's results with the real Api, the real relay and two real daemons in a NAT lab (rebuilt per
/// case: conntrack freezes NAT decisions). Every pair pings over the overlay; the path is direct when
/// at least one side is <c>none</c> or both are <c>eim</c>, and for two hosts on one LAN (over the LAN
/// address); relayed otherwise, over the relay's WebSocket for <c>udp-blocked</c> sites. Each case
/// prints its path and the time from both agents online to the first answered ping.
/// </summary>
[Collection(LabCollection.Name)]
public sealed partial class TraversalMatrixTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PingLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PathLimit = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan BulkLimit = TimeSpan.FromSeconds(30);
    private const int BulkBytes = 1 << 20; // 4.2 s at the Free tier's 2 Mbit/s relay cap

    public static TheoryData<string, string> Pairs()
    {
        var kinds = new[] { "none", "eim", "symmetric", "udp-blocked" };
        var data = new TheoryData<string, string>();
        for (var i = 0; i < kinds.Length; i++)
        {
            for (var j = i; j < kinds.Length; j++)
            {
                data.Add(kinds[i], kinds[j]);
            }
        }

        data.Add("same-lan", "same-lan");
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Pairs))]
    public async Task Pair_pings_over_the_expected_path(string first, string second)
    {
        Requires.Root();
        Requires.Command("nft");
        Requires.Command("ping");
        Requires.Command("iperf3");
        var sameLan = first == "same-lan";
        using var lab = sameLan ? NatLab.Create(SiteKind.SameLan) : NatLab.Create(Kind(first), Kind(second));
        var (hostA, hostB) = sameLan ? (lab.Sites[0].Hosts[0], lab.Sites[0].Hosts[1]) : (lab.Sites[0].Host, lab.Sites[1].Host);
        await using var world = await TraversalLab.StartAsync(lab, hostA, hostB);
        var (a, b) = (world.Agents[0], world.Agents[1]);

        var firstPing = ControlPlaneMeshTests.FirstAnswer(a.Host.Namespace, b.IPv4, PingLimit, world.SinceBothOnline);
        var (expectedA, expectedB) = (Expected(first, second), Expected(second, first));
        var viewA = a.WaitForPath(b, p => p == expectedA, PathLimit);
        var viewB = b.WaitForPath(a, p => p == expectedB, PathLimit);
        var settled = world.SinceBothOnline.Elapsed;
        var back = ControlPlaneMeshTests.FirstAnswer(b.Host.Namespace, a.IPv4, TimeSpan.FromSeconds(10), Stopwatch.StartNew());
        var bulk = BulkTransfer(a.Host.Namespace, b.Host.Namespace, b.IPv4);
        var target = expectedA == "direct" ? 2.0 : 1.0;
        output.WriteLine($"{first} x {second}: path {viewA.Path} / {viewB.Path} ({viewA.Endpoint} / {viewB.Endpoint}, {viewA.LatencyMs} ms); "
            + $"first answered ping {Seconds(firstPing)} after both agents were online (target < {target} s), path settled after {settled.TotalSeconds:0.00} s; "
            + $"iperf3 -n {BulkBytes >> 20} MiB over TCP {(bulk.Ok ? $"done in {bulk.Elapsed.TotalSeconds:0.00} s, {bulk.ReceivedBytes >> 10} KiB received by then" : "FAILED")}");
        if (Environment.GetEnvironmentVariable("HAMACHI_DEBUG_LOGS") == "1") { output.WriteLine(world.Logs()); }

        Assert.True(firstPing != TimeSpan.MaxValue, $"{first} x {second}: no ping answered within {PingLimit.TotalSeconds} s\n{world.Logs()}");
        Assert.True(back != TimeSpan.MaxValue, $"{first} x {second}: no ping answered the other way\n{world.Logs()}");
        Assert.True(viewA.Path == expectedA && viewB.Path == expectedB, $"{first} x {second}: paths {viewA.Path} / {viewB.Path}, expected {expectedA} / {expectedB}\n{world.Logs()}");
        Assert.True(bulk.Ok, $"{first} x {second}: iperf3 could not send {BulkBytes >> 20} MiB over TCP within {BulkLimit.TotalSeconds} s (full-size packets on this path?): {bulk.Output}\n{world.Logs()}");
        Assert.True(bulk.ReceivedBytes >= 64 << 10, $"{first} x {second}: the receiver had only {bulk.ReceivedBytes} bytes when the sender finished (TCP stalled after its first window?)\n{bulk.Output}");
        if (sameLan)
        {
            Assert.StartsWith("198.18.", viewA.Endpoint ?? "", StringComparison.Ordinal);
            Assert.StartsWith("198.18.", viewB.Endpoint ?? "", StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// eim x eim goes direct; an nftables drop of the direct path moves traffic to the relay within 3 s
    /// with no more than 3 s of lost pings; removing the drop brings traffic back to direct.
    /// </summary>
    [SkippableFact]
    public async Task Cutting_the_direct_path_falls_back_to_the_relay_within_3_s_and_restoring_it_returns_to_direct()
    {
        Requires.Root();
        Requires.Command("nft");
        Requires.Command("ping");
        using var lab = NatLab.Create(SiteKind.Eim, SiteKind.Eim);
        await using var world = await TraversalLab.StartAsync(lab, lab.Sites[0].Host, lab.Sites[1].Host);
        var (a, b) = (world.Agents[0], world.Agents[1]);
        Assert.True(ControlPlaneMeshTests.FirstAnswer(a.Host.Namespace, b.IPv4, PingLimit, world.SinceBothOnline) != TimeSpan.MaxValue, world.Logs());
        Assert.Equal("direct", a.WaitForPath(b, p => p == "direct", PathLimit).Path);
        Assert.Equal("direct", b.WaitForPath(a, p => p == "direct", PathLimit).Path);

        // 150 pings at 100 ms (15 s): cut at 3 s, restore at 9 s.
        var router = lab.Sites[0].Edge;
        var peer = lab.Sites[1].PublicAddress;
        using var ping = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", a.Host.Namespace.Name, "ping", "-n", "-D", "-i", "0.1", "-c", "150", "-W", "1", b.IPv4])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = ping.StandardOutput.ReadToEndAsync();
        Thread.Sleep(3000);
        router.Run("nft", "add table inet travcut");
        router.Run("nft", "add chain inet travcut block { type filter hook forward priority -10 ; }");
        router.Run("nft", $"add rule inet travcut block ip daddr {peer} meta l4proto udp drop");
        router.Run("nft", $"add rule inet travcut block ip saddr {peer} meta l4proto udp drop");
        var cut = Stopwatch.StartNew();
        var relayA = a.WaitForPath(b, p => p == "relay", TimeSpan.FromSeconds(10));
        var fellBack = cut.Elapsed;
        var relayB = b.WaitForPath(a, p => p == "relay", TimeSpan.FromSeconds(10));
        Thread.Sleep(TimeSpan.FromSeconds(6) - cut.Elapsed);
        router.Run("nft", "delete table inet travcut");
        var restored = Stopwatch.StartNew();
        var directA = a.WaitForPath(b, p => p == "direct", TimeSpan.FromSeconds(30));
        var cameBack = restored.Elapsed;
        var directB = b.WaitForPath(a, p => p == "direct", TimeSpan.FromSeconds(30));
        ping.WaitForExit();
        var replies = Replies(await stdout);
        var longestGap = LongestGap(replies);
        output.WriteLine($"cut: relay after {fellBack.TotalSeconds:0.00} s (listing polled every 0.25 s); {150 - replies.Count} of 150 pings lost, longest gap between answers {longestGap:0.00} s; "
            + $"restored: direct again after {cameBack.TotalSeconds:0.00} s");

        Assert.True(relayA.Path == "relay" && relayB.Path == "relay", $"no fallback: {relayA.Path} / {relayB.Path}\n{world.Logs()}");
        Assert.True(fellBack < TimeSpan.FromSeconds(3.5), $"fallback took {fellBack.TotalSeconds:0.00} s (target 3 s)\n{world.Logs()}");
        Assert.True(longestGap <= 3.0, $"pings lost for {longestGap:0.00} s (at most 3 s)\n{world.Logs()}");
        Assert.True(directA.Path == "direct" && directB.Path == "direct", $"not direct again: {directA.Path} / {directB.Path}\n{world.Logs()}");
    }

    private static SiteKind Kind(string name) => name switch
    {
        "none" => SiteKind.None,
        "eim" => SiteKind.Eim,
        "symmetric" => SiteKind.Symmetric,
        "udp-blocked" => SiteKind.UdpBlocked,
        _ => throw new ArgumentException(name),
    };

    /// <summary>The path <paramref name="self"/> should list towards <paramref name="peer"/>: a UDP-blocked site reaches the relay over its WebSocket, its peer over UDP.</summary>
    private static string Expected(string self, string peer) =>
        self == "udp-blocked" ? "relay (tcp)"
        : peer == "udp-blocked" ? "relay"
        : self == "same-lan" || self == "none" || peer == "none" || (self == "eim" && peer == "eim") ? "direct"
        : "relay";

    /// <summary>
    /// Sends <see cref="BulkBytes"/> over TCP (iperf3 -n; it ends when the client has sent them) from <paramref name="from"/> to <paramref name="toIp"/>:
    /// full-size packets in bursts, which pings never send. Functional, not a benchmark (infra/bench/relay.sh
    /// measures throughput); the limit only catches a path that stalls on full-size datagrams.
    /// </summary>
    private static (bool Ok, TimeSpan Elapsed, long ReceivedBytes, string Output) BulkTransfer(NetworkNamespace from, NetworkNamespace to, string toIp)
    {
        using var server = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", to.Name, "iperf3", "-s", "-1", "-B", toIp])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        try
        {
            var clock = Stopwatch.StartNew();
            (int ExitCode, string Stdout, string Stderr) result = default;
            for (var attempt = 0; attempt < 10; attempt++)
            {
                Thread.Sleep(200); // the server binds
                result = Shell.TryRun(BulkLimit, "ip", "netns", "exec", from.Name, "iperf3", "-c", toIp, "-J", "-n", BulkBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--connect-timeout", "2000");
                if (result.ExitCode == 0 || !result.Stderr.Contains("unable to connect", StringComparison.OrdinalIgnoreCase))
                {
                    break;
                }
            }

            return (result.ExitCode == 0, clock.Elapsed, ReceivedBytes(result.Stdout ?? ""), result.Stdout + result.Stderr);
        }
        catch (TimeoutException e)
        {
            return (false, BulkLimit, 0, e.Message);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>iperf3's receiver byte count (-J: end.sum_received.bytes): what the server had read when the client finished sending.</summary>
    private static long ReceivedBytes(string json)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            return doc.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bytes").GetInt64();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return 0;
        }
    }

    private static string Seconds(TimeSpan t) => t == TimeSpan.MaxValue ? "never" : $"{t.TotalSeconds:0.00} s";

    /// <summary>The receive times (ping -D timestamps) of the answered pings.</summary>
    private static List<double> Replies(string pingOutput) =>
        [.. ReplyLine().Matches(pingOutput).Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    private static double LongestGap(List<double> times) =>
        times.Count < 2 ? double.MaxValue : times.Zip(times.Skip(1), (x, y) => y - x).Max();

    [GeneratedRegex(@"^\[(\d+\.\d+)\] \d+ bytes from", RegexOptions.Multiline)]
    private static partial Regex ReplyLine();
}
