using HamachiCloud.Agent.Engine.Traversal;
using HamachiCloud.Protocol.Relay;

namespace HamachiCloud.Agent.Engine.Tests.Traversal;

/// <summary>
/// The relay client's race between a relay's UDP port and its WebSocket while UDP is unproven, against the real
/// relay core on a fake clock (<see cref="RelayRaceWorld"/>): the first BindOk decides, a late UDP answer brings
/// the relay back to UDP, and the relay's binding always ends on the transport the client uses.
/// </summary>
public sealed class RelayRaceTests
{
    [Fact]
    public void A_token_refresh_from_the_server_fetches_new_tokens_at_once_and_binds_with_the_new_rate()
    {
        using var world = new RelayRaceWorld { GrantBandwidth = 2_000_000 };
        world.Begin();
        world.BindPeer();
        world.Run(TimeSpan.FromSeconds(5), () => world.Path.Kind == PathKind.Relay);
        Assert.True(world.Path.Kind == PathKind.Relay, world.Dump());
        world.Run(TimeSpan.FromMinutes(2)); // keepalives; the 60-minute token is far from its refresh
        Assert.Equal(1, world.Fetches);
        Assert.Equal(2_000_000, LastBoundRate(world));

        // The network went Premium: the server tells the agent, which fetches and binds with the new cap.
        world.GrantBandwidth = 50_000_000;
        world.Client.RefreshTokens();
        world.Run(TimeSpan.FromSeconds(2), () => LastBoundRate(world) == 50_000_000);
        Assert.Equal(2, world.Fetches);
        Assert.Equal(50_000_000, LastBoundRate(world));
        Assert.Equal(PathKind.Relay, world.Path.Kind); // the relayed path never dropped
        world.Run(TimeSpan.FromMinutes(1));
        Assert.Equal(2, world.Fetches); // and no fetch loop after it
    }

    /// <summary>The bandwidth of the token in the last Bind the relay got from the agent.</summary>
    private static long LastBoundRate(RelayRaceWorld world)
    {
        var bind = world.CapturedBinds.Last();
        Assert.True(RelayFrame.TryParse(bind, out var frame));
        Assert.Equal(RelayTokenStatus.Valid, RelayToken.TryVerify(frame.Token, world.ServerKey, out var token));
        return token!.BandwidthBitsPerSecond;
    }

    [Fact]
    public void With_udp_blocked_the_websockets_bind_ok_switches_at_once_without_waiting_for_the_quick_timeout()
    {
        using var world = new RelayRaceWorld { UdpBlocked = true, WebSocketConnect = TimeSpan.FromMilliseconds(30), WebSocketLatency = TimeSpan.FromMilliseconds(10) };
        world.Begin();
        world.Run(TimeSpan.FromSeconds(3), () => world.Path.RelayOverWebSocket);

        var switchedAt = world.Now;
        Console.WriteLine($"relay over WebSocket {switchedAt.TotalMilliseconds:0} ms after the first Bind (quick timeout {RelayClient.QuickBindTimeout.TotalMilliseconds:0} ms)");
        Assert.True(world.Path is { Kind: PathKind.Relay, RelayOverWebSocket: true }, world.Dump());
        Assert.True(switchedAt < RelayClient.QuickBindTimeout, world.Dump()); // connect 30 + round trip 20: no timeout had to pass
        Assert.Contains(world.Log, l => l.Contains("over the WebSocket first", StringComparison.Ordinal));
        Assert.Single(world.Sockets);
        Assert.True(world.Client.AnyWebSocket);

        world.BindPeer();
        Assert.True(world.ForwardTarget() is { IsWebSocket: true }, world.Dump()); // the relay's binding is on the WebSocket

        world.Run(TimeSpan.FromSeconds(20));
        Assert.All(world.BindsAtRelay, b => Assert.True(b.OverWebSocket));
        Assert.Null(world.Sockets[0].ClosedAt);
        Assert.True(world.ForwardTarget() is { IsWebSocket: true }, world.Dump());
    }

    [Fact]
    public void With_udp_answering_the_relay_stays_on_udp_and_its_binding_ends_on_udp_though_the_websockets_bind_came_last()
    {
        // The WebSocket connects fast but is slow: its Bind reaches the relay after the UDP one and its BindOk comes
        // after UDP's, so the relay's binding sits on the WebSocket until the client re-binds over UDP.
        using var world = new RelayRaceWorld
        {
            UdpLatency = TimeSpan.FromMilliseconds(40),
            WebSocketConnect = TimeSpan.FromMilliseconds(10),
            WebSocketLatency = TimeSpan.FromMilliseconds(60),
        };
        world.Begin();
        world.BindPeer();
        world.Run(TimeSpan.FromSeconds(3));

        Assert.True(world.Path is { Kind: PathKind.Relay, RelayOverWebSocket: false }, world.Dump());
        Assert.DoesNotContain(world.PathChanges, p => p.OverWebSocket);
        Assert.False(world.Client.AnyWebSocket);

        var socket = Assert.Single(world.Sockets);
        Assert.NotEmpty(socket.BindsSent); // the race ran: a Bind went over the WebSocket
        Assert.Contains(world.BindsAtRelay, b => b.OverWebSocket);
        Assert.False(world.BindsAtRelay[^1].OverWebSocket, world.Dump()); // a UDP Bind came after it
        Assert.NotNull(socket.ClosedAt); // closed once the binding was back on UDP
        Assert.True(world.ForwardTarget() is { IsWebSocket: false } target && target.Endpoint.Equals(RelayRaceWorld.AgentEndpoint.ToIPEndPoint()), world.Dump());
        Console.WriteLine(world.Dump());
    }

    [Fact]
    public void A_late_udp_bind_ok_after_the_websocket_won_moves_the_relay_back_to_udp_and_rebinds_over_udp()
    {
        // UDP works but answers slowly (500 ms round trip); the WebSocket wins the race at about 60 ms.
        using var world = new RelayRaceWorld
        {
            UdpLatency = TimeSpan.FromMilliseconds(250),
            WebSocketConnect = TimeSpan.FromMilliseconds(20),
            WebSocketLatency = TimeSpan.FromMilliseconds(20),
        };
        world.Begin();
        world.BindPeer();
        world.Run(TimeSpan.FromSeconds(3), () => world.Path.RelayOverWebSocket);
        Assert.True(world.Now < RelayClient.QuickBindTimeout, world.Dump());
        Console.WriteLine($"relay over WebSocket after {world.Now.TotalMilliseconds:0} ms");

        world.Run(TimeSpan.FromSeconds(3), () => world.Path is { Kind: PathKind.Relay, RelayOverWebSocket: false });
        var backAt = world.Now;
        Console.WriteLine($"back on UDP after {backAt.TotalMilliseconds:0} ms");
        Assert.True(world.Path is { Kind: PathKind.Relay, RelayOverWebSocket: false }, world.Dump());
        Assert.Contains(world.Log, l => l.Contains("back to UDP", StringComparison.Ordinal));
        Assert.False(world.Client.AnyWebSocket);

        // Past a keepalive re-bind: the relay's binding follows UDP, no Bind goes over the WebSocket any more, no new race.
        world.Run(TimeSpan.FromSeconds(20));
        var socket = Assert.Single(world.Sockets);
        Assert.NotNull(socket.ClosedAt);
        var lastWebSocketBind = world.BindsAtRelay.Last(b => b.OverWebSocket).At;
        Assert.True(lastWebSocketBind < backAt, world.Dump());
        Assert.True(world.BindsAtRelay.Count(b => !b.OverWebSocket && b.At > TimeSpan.FromMilliseconds(500)) >= 2, world.Dump()); // the re-bind after the late BindOk, then the keepalive
        Assert.True(world.ForwardTarget() is { IsWebSocket: false }, world.Dump());
        Assert.True(world.Path is { Kind: PathKind.Relay, RelayOverWebSocket: false }, world.Dump());
        Console.WriteLine(world.Dump());
    }
}
