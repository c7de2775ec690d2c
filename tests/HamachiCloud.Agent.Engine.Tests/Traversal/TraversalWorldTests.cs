using System.Diagnostics;
using HamachiCloud.Agent.Engine.Traversal;
using HamachiCloud.Testing;

namespace HamachiCloud.Agent.Engine.Tests.Traversal;

/// <summary>Two agents and the real relay core on a virtual network (real clock): relay first, direct when it answers, fallback and return.</summary>
public sealed class TraversalWorldTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public void Traffic_flows_at_once_and_moves_to_the_direct_path_then_falls_back_to_the_relay_and_returns()
    {
        using var world = new TraversalWorld(VirtualNetwork.Endpoint("203.0.113.1", 51820), VirtualNetwork.Endpoint("198.51.100.1", 51820));
        var clock = Stopwatch.StartNew();
        Assert.True(world.A.Ping(world.B, "first", Patience), Dump(world));
        Console.WriteLine($"first packet after {clock.Elapsed.TotalMilliseconds:0} ms");

        WaitFor(() => world.A.Path(world.B).Kind == PathKind.Direct && world.B.Path(world.A).Kind == PathKind.Direct, world);
        Console.WriteLine($"direct both ways after {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(world.B.Endpoint, world.A.Path(world.B).Endpoint);
        Assert.True(world.A.Ping(world.B, "direct", Patience));

        world.CutDirect = true;
        var cut = Stopwatch.StartNew();
        WaitFor(() => world.A.Path(world.B).Kind == PathKind.Relay && world.B.Path(world.A).Kind == PathKind.Relay, world);
        Console.WriteLine($"relay both ways {cut.Elapsed.TotalMilliseconds:0} ms after the cut");
        var forwardedBefore = world.RelayCounters.Forwarded;
        Assert.True(world.A.Ping(world.B, "relayed", Patience), Dump(world));
        Assert.True(world.B.Ping(world.A, "relayed back", Patience), Dump(world));
        Assert.True(world.RelayCounters.Forwarded > forwardedBefore);
        Assert.Contains("stopped answering", world.A.Path(world.B).WhyNotDirect);

        world.CutDirect = false;
        var restored = Stopwatch.StartNew();
        WaitFor(() => world.A.Path(world.B).Kind == PathKind.Direct && world.B.Path(world.A).Kind == PathKind.Direct, world);
        Console.WriteLine($"direct again {restored.Elapsed.TotalMilliseconds:0} ms after the restore");
        Assert.True(world.A.Ping(world.B, "direct again", Patience));
        Assert.Equal(0, world.A.Mux.Statistics.Malformed + world.B.Mux.Statistics.Malformed);
    }

    [Fact]
    public void With_the_direct_path_blocked_from_the_start_traffic_stays_on_the_relay_and_says_why()
    {
        using var world = new TraversalWorld(VirtualNetwork.Endpoint("203.0.113.1", 51820), VirtualNetwork.Endpoint("198.51.100.1", 51820)) { CutDirect = true };
        Assert.True(world.A.Ping(world.B, "via relay", Patience), Dump(world));
        Assert.True(world.B.Ping(world.A, "back via relay", Patience), Dump(world));
        WaitFor(() => world.A.Path(world.B).WhyNotDirect is not null, world);
        Assert.Equal(PathKind.Relay, world.A.Path(world.B).Kind);
        Assert.StartsWith("no answer from", world.A.Path(world.B).WhyNotDirect);
        Assert.True(world.RelayCounters.Forwarded > 0);
    }

    private static void WaitFor(Func<bool> condition, TraversalWorld world)
    {
        var deadline = Environment.TickCount64 + (long)Patience.TotalMilliseconds;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, Dump(world));
            Thread.Sleep(20);
        }
    }

    private static string Dump(TraversalWorld world) =>
        $"A: {world.A.Path(world.B)}\nA log:\n{string.Join('\n', world.A.Log)}\nB: {world.B.Path(world.A)}\nB log:\n{string.Join('\n', world.B.Log)}\nrelay: {world.RelayCounters}\nmux A {world.A.Mux.Statistics}\nmux B {world.B.Mux.Statistics}";
}
