using System.Net;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Relay;
using Xunit.Abstractions;

namespace HamachiCloud.Relay.Tests;

/// <summary>
/// Relay binding hijack (issue 12, item 6) against the real relay process on loopback (standalone: configured server
/// key). An eavesdropper captures an agent's Bind and BindProof and replays them from another UDP socket or another
/// WebSocket connection: the relay must not move the agent's binding (the peer's datagrams still reach the agent,
/// the attacker gets none), while the agent itself moving to a new socket (NAT rebinding) moves it with a fresh proof.
/// </summary>
public sealed class RelayBindHijackTests(ITestOutputHelper output)
{
    private sealed record Relay(RelayProcess Process, SigningKey Issuer, Guid Id, IPEndPoint Udp, Uri WebSocket) : IDisposable
    {
        public byte[] Token(NodeKey from, NodeKey to) =>
            new RelayToken(Id, from, to, TimeProvider.System.GetUtcNow().AddMinutes(10), 0).ToBytes(Issuer);

        public void Dispose()
        {
            Process.Dispose();
            Issuer.Dispose();
        }
    }

    [Fact]
    public async Task A_bind_replayed_from_another_udp_socket_does_not_move_the_binding()
    {
        using var relay = await StartAsync();
        try
        {
            await using var agent = new UdpRelayClient(IPAddress.Loopback, relay.Udp, RelayTestClients.NewNodeKey());
            await using var peer = new UdpRelayClient(IPAddress.Loopback, relay.Udp, RelayTestClients.NewNodeKey());
            await using var attacker = new UdpRelayClient(IPAddress.Loopback, relay.Udp, RelayTestClients.NewNodeKey()); // another loopback port
            var captured = await agent.BindOkAsync(relay.Token(agent.Key, peer.Key));
            await peer.BindOkAsync(relay.Token(peer.Key, agent.Key));
            await AssertRelayedAsync(peer, agent, [0x04, 1]);

            var replies = await ReplayAsync(captured, attacker);

            // The peer's datagrams still reach the agent; the attacker receives nothing and cannot send as the agent.
            await AssertRelayedAsync(peer, agent, [0x04, 2]);
            Assert.Null(await attacker.ReceiveAsync(TimeSpan.FromMilliseconds(500)));
            await attacker.SendAsync(RelayTestClients.Send(peer.Key, [0x04, 3]));
            await attacker.ExpectRefusedAsync(RelayRefusal.NoBinding);
            await AssertRelayedAsync(agent, peer, [0x04, 4]);
            AssertReplaysRefused(replies);

            var counters = await relay.Process.CountersAsync();
            output.WriteLine($"counters: {counters}");
            Assert.Equal(1, await RelayProcess.DroppedAsync(counters, "bad_cookie"));
            Assert.Equal(3, counters.GetProperty("forwarded").GetInt64());
        }
        finally
        {
            output.WriteLine(relay.Process.Output);
        }
    }

    [Fact]
    public async Task A_bind_replayed_on_another_websocket_connection_does_not_move_the_binding()
    {
        using var relay = await StartAsync();
        try
        {
            await using var agent = await WebSocketRelayClient.ConnectAsync(relay.WebSocket, RelayTestClients.NewNodeKey());
            await using var peer = new UdpRelayClient(IPAddress.Loopback, relay.Udp, RelayTestClients.NewNodeKey());
            await using var attacker = await WebSocketRelayClient.ConnectAsync(relay.WebSocket, RelayTestClients.NewNodeKey());
            var captured = await agent.BindOkAsync(relay.Token(agent.Key, peer.Key));
            await peer.BindOkAsync(relay.Token(peer.Key, agent.Key));
            await AssertRelayedAsync(peer, agent, [0x04, 1]);

            var replies = await ReplayAsync(captured, attacker);

            await AssertRelayedAsync(peer, agent, [0x04, 2]);
            await AssertRelayedAsync(agent, peer, [0x04, 5]);
            Assert.Null(await attacker.ReceiveAsync(TimeSpan.FromMilliseconds(500)));
            AssertReplaysRefused(replies);

            // Nor from UDP: the same captured frames sent over UDP do not take the WebSocket's binding either.
            await using var udpAttacker = new UdpRelayClient(IPAddress.Loopback, relay.Udp, RelayTestClients.NewNodeKey());
            replies = await ReplayAsync(captured, udpAttacker);
            await AssertRelayedAsync(peer, agent, [0x04, 3]);
            Assert.Null(await udpAttacker.ReceiveAsync(TimeSpan.FromMilliseconds(500)));
            AssertReplaysRefused(replies);
        }
        finally
        {
            output.WriteLine(relay.Process.Output);
        }
    }

    [Fact]
    public async Task An_agent_whose_socket_changes_port_rebinds_with_a_fresh_proof_and_the_binding_follows()
    {
        using var relay = await StartAsync();
        try
        {
            using var key = RelayTestClients.NewNodeKey();
            await using var before = new UdpRelayClient(IPAddress.Loopback, relay.Udp, Copy(key));
            await using var peer = new UdpRelayClient(IPAddress.Loopback, relay.Udp, RelayTestClients.NewNodeKey());
            var token = relay.Token(before.Key, peer.Key);
            await before.BindOkAsync(token);
            await peer.BindOkAsync(relay.Token(peer.Key, before.Key));
            await AssertRelayedAsync(peer, before, [0x04, 1]);

            // The agent's socket (or its NAT mapping) changes port: its next Bind is challenged and it proves the key.
            await using var after = new UdpRelayClient(IPAddress.Loopback, relay.Udp, Copy(key));
            Assert.NotEqual(before.Socket.LocalEndPoint, after.Socket.LocalEndPoint);
            var sent = await after.BindOkAsync(token);
            Assert.Equal(2, sent.Count); // Bind, then BindProof

            await AssertRelayedAsync(peer, after, [0x04, 2]);
            Assert.Null(await before.ReceiveAsync(TimeSpan.FromMilliseconds(500)));
            await AssertRelayedAsync(after, peer, [0x04, 3]);
            await before.SendAsync(RelayTestClients.Send(peer.Key, [0x04, 4]));
            await before.ExpectRefusedAsync(RelayRefusal.NoBinding);

            var counters = await relay.Process.CountersAsync();
            output.WriteLine($"counters: {counters}");
            Assert.Equal(3, counters.GetProperty("bindsProven").GetInt64());
        }
        finally
        {
            output.WriteLine(relay.Process.Output);
        }
    }

    /// <summary>Sends every captured frame from <paramref name="attacker"/>; the type of each reply (none is expected to be BindOk).</summary>
    private static async Task<List<RelayFrameType?>> ReplayAsync(List<byte[]> captured, IRelayTestClient attacker)
    {
        var replies = new List<RelayFrameType?>();
        foreach (var frame in captured)
        {
            await attacker.SendAsync(frame);
            var reply = await attacker.ReceiveAsync(TimeSpan.FromSeconds(5));
            replies.Add(reply is not null && RelayFrame.TryParse(reply, out var parsed) ? parsed.Type : null);
        }

        return replies;
    }

    /// <summary>What the relay answered a replayed Bind (a Challenge the attacker cannot answer) and BindProof (Refused, its cookie names another source).</summary>
    private static void AssertReplaysRefused(List<RelayFrameType?> replies) =>
        Assert.Equal([RelayFrameType.Challenge, RelayFrameType.Refused], replies);

    private static async Task AssertRelayedAsync(IRelayTestClient from, IRelayTestClient to, byte[] payload)
    {
        await from.SendAsync(RelayTestClients.Send(to.Key, payload));
        await to.ExpectRecvAsync(from.Key, payload);
    }

    private static NodePrivateKey Copy(NodePrivateKey key)
    {
        var raw = new byte[NodePrivateKey.Size];
        key.CopyTo(raw);
        return NodePrivateKey.FromBytes(raw);
    }

    private static async Task<Relay> StartAsync()
    {
        var issuer = SigningKey.Generate();
        var id = Guid.NewGuid();
        var udpPort = RelayProcess.FreeUdpPort(IPAddress.Loopback, 2);
        var httpPort = RelayProcess.FreeTcpPort();
        var settings = new Dictionary<string, string>
        {
            ["Relay:Id"] = id.ToString(),
            ["Relay:ListenAddress"] = "127.0.0.1",
            ["Relay:Port"] = udpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Relay:AlternatePort"] = (udpPort + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Relay:ServerIdentityKey"] = issuer.PublicKey.ToBase64(),
        };
        var process = await RelayProcess.StartAsync(settings, "127.0.0.1", httpPort);
        return new Relay(process, issuer, id, new IPEndPoint(IPAddress.Loopback, udpPort), new Uri($"ws://127.0.0.1:{httpPort}{Hosting.WebSocketRelay.Path}"));
    }
}
