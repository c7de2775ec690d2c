using System.Net;
using System.Security.Cryptography;
using HamachiCloud.Agent.Engine.Config;
using HamachiCloud.Agent.Engine.Device;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Engine.Peers;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Testing;
using Microsoft.Extensions.Time.Testing;

namespace HamachiCloud.Agent.Engine.Tests;

/// <summary>
/// N engines in a full mesh over a <see cref="VirtualNetwork"/>, each with a <see cref="MemoryTun"/>,
/// sharing one <see cref="FakeTimeProvider"/>. Node i has overlay address 100.64.0.(i+1)/10 and
/// underlay endpoint 10.0.0.(i+1):51820.
/// </summary>
internal sealed class EngineWorld : IDisposable
{
    private EngineWorld(int count, Func<int, WireGuardDeviceOptions>? options, TimeSpan? persistentKeepalive)
    {
        var keys = new NodePrivateKey[count];
        using var random = RandomNumberGenerator.Create();
        for (var i = 0; i < count; i++)
        {
            keys[i] = NodePrivateKey.Generate(random);
        }

        for (var i = 0; i < count; i++)
        {
            var peers = new List<PeerConfig>();
            for (var j = 0; j < count; j++)
            {
                if (j != i)
                {
                    peers.Add(new PeerConfig
                    {
                        PublicKey = keys[j].PublicKey,
                        Endpoint = EndpointOf(j).ToIPEndPoint(),
                        AllowedIps = [IPNetwork.Parse($"{AddressOf(j)}/32"), IPNetwork.Parse($"{Address6Of(j)}/128")],
                        PersistentKeepalive = persistentKeepalive,
                    });
                }
            }

            var tun = new MemoryTun($"mem{i}");
            var conn = Network.Listen(EndpointOf(i));
            var publicKey = keys[i].PublicKey;
            var device = WireGuardDevice.Create(
                new DeviceConfig
                {
                    PrivateKey = keys[i],
                    Address = IPAddress.Parse(AddressOf(i)),
                    PrefixLength = 10,
                    Peers = peers,
                    Options = options?.Invoke(i) ?? new WireGuardDeviceOptions(),
                },
                tun,
                conn,
                Time);
            Nodes.Add(new Node(i, publicKey, tun, conn, device));
        }

        foreach (var node in Nodes)
        {
            node.Device.Start();
        }
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public VirtualNetwork Network { get; } = new();

    public List<Node> Nodes { get; } = [];

    public Node A => Nodes[0];

    public Node B => Nodes[1];

    public Node C => Nodes[2];

    public static EngineWorld Create(int count = 2, Func<int, WireGuardDeviceOptions>? options = null, TimeSpan? persistentKeepalive = null) =>
        new(count, options, persistentKeepalive);

    public static string AddressOf(int index) => $"100.64.0.{index + 1}";

    public static string Address6Of(int index) => $"fd00::{index + 1:x}";

    public static NetEndpoint EndpointOf(int index) => VirtualNetwork.Endpoint($"10.0.0.{index + 1}", 51820);

    /// <summary>Injects a UDP packet at <paramref name="from"/>'s TUN addressed to <paramref name="to"/>.</summary>
    public void SendUdp(Node from, string to, string payload) =>
        from.Tun.Inject(Ip.Udp4(AddressOf(from.Index), to, System.Text.Encoding.ASCII.GetBytes(payload)));

    public void SendUdp(Node from, Node to, string payload) => SendUdp(from, AddressOf(to.Index), payload);

    /// <summary>The payload of the next packet <paramref name="node"/>'s engine writes to its TUN (waits up to 10 s).</summary>
    public static string Expect(Node node)
    {
        Assert.True(node.Tun.TryTake(TimeSpan.FromSeconds(10), out var packet), $"node {node.Index}: no packet arrived");
        return Ip.Payload(packet);
    }

    /// <summary>
    /// Waits until nothing moves any more: every TUN and connection reader has finished what it was
    /// handed, every timer tick was handled, and the counters stayed the same over a few samples.
    /// </summary>
    public void Settle()
    {
        var deadline = Environment.TickCount64 + 10_000;
        var last = long.MinValue;
        var stable = 0;
        while (stable < 3 && Environment.TickCount64 < deadline)
        {
            var signature = Signature();
            if (signature == last && Idle())
            {
                stable++;
            }
            else
            {
                stable = 0;
                last = signature;
            }

            Thread.Sleep(2);
        }
    }

    /// <summary>Advances the fake clock by <paramref name="by"/> in steps, letting the engines settle after each.</summary>
    public void Advance(TimeSpan by, TimeSpan? step = null)
    {
        var size = step ?? TimeSpan.FromSeconds(1);
        for (var left = by; left > TimeSpan.Zero; left -= size)
        {
            Time.Advance(left < size ? left : size);
            Settle();
        }
    }

    /// <summary>Sets up sessions A→every other node, with one packet each way, and drains the TUNs.</summary>
    public void Connect()
    {
        foreach (var node in Nodes.Skip(1))
        {
            SendUdp(A, node, "hello");
            Assert.Equal("hello", Expect(node));
            SendUdp(node, A, "back");
            Assert.Equal("back", Expect(A));
        }

        Settle();
    }

    public PeerStatistics Stats(Node at, Node about) => at.Device.GetPeerStatistics(about.PublicKey) ?? throw new InvalidOperationException("not a peer");

    /// <summary>Datagrams recorded from one node to another, optionally of one WireGuard type.</summary>
    public List<Datagram> Traffic(Node from, Node to, int? type = null) =>
        [.. Network.Log.Where(d => d.From == from.Conn.Endpoint && d.To == to.Conn.Endpoint && (type is null || d.Type == type))];

    public void Dispose()
    {
        foreach (var node in Nodes)
        {
            node.Device.Dispose();
        }
    }

    private bool Idle() => Network.Drained && Nodes.TrueForAll(node => node.Tun.Drained && node.Device.TimersIdle);

    private long Signature()
    {
        long sum = Network.LogCount;
        foreach (var node in Nodes)
        {
            sum += node.Tun.WrittenCount;
            var device = node.Device.Statistics;
            sum += device.MalformedDatagrams + device.BadMacHandshakes + device.RejectedHandshakes + device.UnknownIndex + device.NoRoute + device.RateLimited;
            foreach (var peer in node.Device.GetPeerStatistics())
            {
                sum += peer.RxPackets + peer.TxPackets + peer.DroppedReplay + peer.DroppedDecryptFailure + peer.DroppedBadMac + peer.DroppedMalformed
                    + peer.DroppedBadSourceAddress + peer.DroppedRateLimited + peer.DroppedNoRoute;
            }
        }

        return sum;
    }

    public sealed record Node(int Index, NodeKey PublicKey, MemoryTun Tun, VirtualPacketConn Conn, WireGuardDevice Device);
}
