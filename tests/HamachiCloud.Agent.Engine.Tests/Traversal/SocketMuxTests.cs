using System.Security.Cryptography;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Engine.Traversal;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Relay;
using HamachiCloud.Testing;

namespace HamachiCloud.Agent.Engine.Tests.Traversal;

public sealed class SocketMuxTests
{
    private static readonly NetEndpoint Self = VirtualNetwork.Endpoint("203.0.113.1", 51820);
    private static readonly NetEndpoint Stranger = VirtualNetwork.Endpoint("198.51.100.7", 4000);
    private static readonly NetEndpoint RelayAt = VirtualNetwork.Endpoint("192.0.2.1", 3478);

    [Theory]
    [InlineData("01000000", DatagramKind.WireGuard)]
    [InlineData("04000000aabbccdd", DatagramKind.WireGuard)]
    [InlineData("05000000", DatagramKind.Unknown)]
    [InlineData("01000100", DatagramKind.Unknown)]
    [InlineData("000100002112a442000000000000000000000000", DatagramKind.Stun)]
    [InlineData("000100002112a4420000000000000000000000", DatagramKind.Unknown)]
    [InlineData("c00100002112a442000000000000000000000000", DatagramKind.Unknown)]
    [InlineData("48434401", DatagramKind.Disco)]
    [InlineData("48434402", DatagramKind.Unknown)]
    [InlineData("48435204", DatagramKind.Relay)]
    [InlineData("484352", DatagramKind.Unknown)]
    [InlineData("", DatagramKind.Unknown)]
    public void Classifies_by_the_first_bytes_in_the_contract_order(string hex, DatagramKind kind) =>
        Assert.Equal(kind, DatagramClass.Classify(Convert.FromHexString(hex)));

    [Fact]
    public void Receive_keeps_wireguard_routes_stun_and_disco_unwraps_relay_data_and_drops_the_rest_counted()
    {
        var network = new VirtualNetwork();
        using var mux = new SocketMux(network.Listen(Self), Self);
        var stun = new List<(byte[], NetEndpoint)>();
        var disco = new List<(byte[], NetEndpoint)>();
        var control = new List<int>();
        mux.RegisterStunHandler((d, from) => stun.Add((d.ToArray(), from)));
        mux.DiscoHandler = (d, from) => disco.Add((d.ToArray(), from));
        mux.RelayControl = (relay, _) => control.Add(relay);
        var relay = mux.AddRelay(RelayAt);
        using var random = RandomNumberGenerator.Create();
        using var peerKey = NodePrivateKey.Generate(random);
        var peerVirtual = mux.VirtualFor(relay, peerKey.PublicKey);
        using var unknownKey = NodePrivateKey.Generate(random);

        var wireGuard = Transport(40);
        network.Inject(Stranger, Self, wireGuard);
        network.Inject(Stranger, Self, Convert.FromHexString("000100002112a442" + new string('0', 24)));
        network.Inject(Stranger, Self, Convert.FromHexString("48434401aabb"));
        network.Inject(Stranger, Self, Convert.FromHexString("deadbeefdeadbeef"));
        network.Inject(Stranger, Self, Convert.FromHexString("ab"));
        network.Inject(Stranger, Self, Frame(RelayFrameType.Recv, peerKey.PublicKey, wireGuard)); // a relay frame from no relay of ours
        network.Inject(RelayAt, Self, Frame(RelayFrameType.Recv, unknownKey.PublicKey, wireGuard)); // from a peer we do not know
        network.Inject(RelayAt, Self, Convert.FromHexString("484352ff00")); // malformed frame
        network.Inject(RelayAt, Self, Frame(RelayFrameType.Recv, peerKey.PublicKey, Convert.FromHexString("0700000000"))); // not WireGuard inside
        network.Inject(RelayAt, Self, Frame(RelayFrameType.Recv, peerKey.PublicKey, Convert.FromHexString("48434401cc"))); // disco inside
        var bindOk = new byte[RelayFrame.BindOkSize];
        RelayFrame.TryWriteBindOk(bindOk, peerKey.PublicKey.Bytes, 123, out _);
        network.Inject(RelayAt, Self, bindOk);
        var relayed = Transport(60);
        network.Inject(RelayAt, Self, Frame(RelayFrameType.Recv, peerKey.PublicKey, relayed));

        var buffers = Enumerable.Range(0, 32).Select(_ => new byte[2048]).ToArray();
        var sizes = new int[32];
        var from = new NetEndpoint[32];
        var kept = new List<(byte[], NetEndpoint)>();
        while (kept.Count < 2)
        {
            var n = mux.Receive(buffers, sizes, from);
            for (var i = 0; i < n; i++)
            {
                kept.Add((buffers[i].AsSpan(0, sizes[i]).ToArray(), from[i]));
            }
        }

        Assert.Equal(wireGuard, kept[0].Item1);
        Assert.Equal(Stranger, kept[0].Item2);
        Assert.Equal(relayed, kept[1].Item1);
        Assert.Equal(peerVirtual, kept[1].Item2);
        Assert.True(VirtualEndpoint.IsVirtual(kept[1].Item2));
        Assert.Equal(peerKey.PublicKey, mux.PeerOf(kept[1].Item2));
        Assert.Single(stun);
        Assert.Equal(2, disco.Count);
        Assert.Equal(Stranger, disco[0].Item2);
        Assert.Equal(peerVirtual, disco[1].Item2);
        Assert.Equal("48434401cc", Convert.ToHexStringLower(disco[1].Item1));
        Assert.Equal([relay], control);

        var stats = mux.Statistics;
        Assert.Equal(1, stats.WireGuard);
        Assert.Equal(1, stats.RelayData);
        Assert.Equal(4, stats.Malformed); // garbage, one byte, bad frame, non-WireGuard payload
        Assert.Equal(1, stats.UnknownRelaySource);
        Assert.Equal(1, stats.UnknownRelayPeer);
        Assert.Equal(1, stats.RelayControl);
    }

    [Fact]
    public void Send_wraps_datagrams_to_virtual_endpoints_as_relay_frames_and_passes_others_through()
    {
        var network = new VirtualNetwork();
        using var mux = new SocketMux(network.Listen(Self), Self);
        using var relayConn = network.Listen(RelayAt);
        using var strangerConn = network.Listen(Stranger);
        using var random = RandomNumberGenerator.Create();
        using var peerKey = NodePrivateKey.Generate(random);
        var peerVirtual = mux.VirtualFor(mux.AddRelay(RelayAt), peerKey.PublicKey);

        var direct = Transport(40);
        var relayed = Transport(50);
        var buffers = new[] { Padded(direct), Padded(relayed), Padded(direct) };
        mux.Send(buffers, [direct.Length, relayed.Length, direct.Length], 0, [Stranger, peerVirtual, VirtualEndpoint.For(9, 9)], 3);

        Assert.Equal(1, relayConn.Pending);
        Assert.Equal(1, strangerConn.Pending);
        var got = new[] { new byte[2048] };
        var size = new int[1];
        var from = new NetEndpoint[1];
        relayConn.Receive(got, size, from);
        Assert.True(RelayFrame.TryParse(got[0].AsSpan(0, size[0]), out var frame));
        Assert.Equal(RelayFrameType.Send, frame.Type);
        Assert.Equal(peerKey.PublicKey.Bytes.ToArray(), frame.Key.ToArray());
        Assert.Equal(relayed, frame.Payload.ToArray());
        Assert.Equal(1, mux.Statistics.SendDropped); // the unknown virtual endpoint
    }

    private static byte[] Transport(int length)
    {
        var bytes = new byte[length];
        RandomNumberGenerator.Fill(bytes);
        bytes[0] = 4;
        bytes[1] = bytes[2] = bytes[3] = 0;
        return bytes;
    }

    private static byte[] Padded(byte[] datagram)
    {
        var buffer = new byte[datagram.Length + 64];
        datagram.CopyTo(buffer, 0);
        return buffer;
    }

    private static byte[] Frame(RelayFrameType type, NodeKey key, byte[] payload)
    {
        var frame = new byte[RelayFrame.DataOverhead + payload.Length];
        Assert.True(type == RelayFrameType.Recv
            ? RelayFrame.TryWriteRecv(frame, key.Bytes, payload, out _)
            : RelayFrame.TryWriteSend(frame, key.Bytes, payload, out _));
        return frame;
    }
}
