using System.Net;
using System.Security.Cryptography;
using HamachiCloud.Agent.Engine.Config;
using HamachiCloud.Agent.Engine.Device;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Testing;
using Microsoft.Extensions.Time.Testing;

namespace HamachiCloud.Agent.Engine.Tests;

/// <summary>The steady-state data path allocates nothing per packet (measured on the engine's own threads).</summary>
[Collection(nameof(NonParallel))]
public sealed class HotPathTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Outbound_and_inbound_stages_allocate_nothing_per_packet(bool throughSocketMux)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var random = RandomNumberGenerator.Create();
        var keyA = NodePrivateKey.Generate(random);
        var keyB = NodePrivateKey.Generate(random);
        var (connA, connB) = QuietConn.Pair(VirtualNetwork.Endpoint("10.0.0.1", 51820), VirtualNetwork.Endpoint("10.0.0.2", 51820));
        var tunA = new QuietTun(Ip.Udp4("100.64.0.1", "100.64.0.2", new byte[1000]));
        var tunB = new QuietTun(Ip.Udp4("100.64.0.2", "100.64.0.1", new byte[1000]));
        IO.IPacketConn ioA = throughSocketMux ? new HamachiCloud.Agent.Engine.Traversal.SocketMux(connA, connA.Endpoint) : connA;
        IO.IPacketConn ioB = throughSocketMux ? new HamachiCloud.Agent.Engine.Traversal.SocketMux(connB, connB.Endpoint) : connB;
        using var a = WireGuardDevice.Create(Config(keyA, keyB.PublicKey, "100.64.0.2/32", connB.Endpoint.ToIPEndPoint()), tunA, ioA, time);
        using var b = WireGuardDevice.Create(Config(keyB, keyA.PublicKey, "100.64.0.1/32", connA.Endpoint.ToIPEndPoint()), tunB, ioB, time);
        a.Start();
        b.Start();

        // Warm up: handshake (one packet, as the staging queue holds 128), then JIT and first-use allocations.
        tunA.Feed(1);
        Assert.True(tunB.WaitWritten(1, TimeSpan.FromSeconds(20)));
        tunA.Feed(999);
        Assert.True(tunB.WaitWritten(1000, TimeSpan.FromSeconds(20)));
        tunB.Feed(1000);
        Assert.True(tunA.WaitWritten(1000, TimeSpan.FromSeconds(20)));
        Thread.Sleep(100);
        var a0 = a.StageAllocatedBytes;
        var b0 = b.StageAllocatedBytes;
        Assert.True(a0.Outbound > 0 && b0.Inbound > 0, "the stages report their (start-up) allocations");

        const int Packets = 10_000;
        tunA.Feed(Packets);
        tunB.Feed(Packets);
        Assert.True(tunB.WaitWritten(1000 + Packets, TimeSpan.FromSeconds(60)));
        Assert.True(tunA.WaitWritten(1000 + Packets, TimeSpan.FromSeconds(60)));
        Thread.Sleep(100);
        var a1 = a.StageAllocatedBytes;
        var b1 = b.StageAllocatedBytes;

        // Any object is at least 24 bytes; under 2 bytes per packet means no per-packet allocation.
        const long Budget = Packets * 2;
        Assert.InRange(a1.Outbound - a0.Outbound, 0, Budget);
        Assert.InRange(b1.Inbound - b0.Inbound, 0, Budget);
        Assert.InRange(b1.Outbound - b0.Outbound, 0, Budget);
        Assert.InRange(a1.Inbound - a0.Inbound, 0, Budget);
    }

    private static DeviceConfig Config(NodePrivateKey key, NodeKey peer, string allowed, IPEndPoint endpoint) => new()
    {
        PrivateKey = key,
        Address = null,
        Peers = [new PeerConfig { PublicKey = peer, Endpoint = endpoint, AllowedIps = [IPNetwork.Parse(allowed)] }],
    };
}
