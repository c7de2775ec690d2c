using System.Buffers.Binary;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.WireGuard;
using HamachiCloud.Testing;

namespace HamachiCloud.Agent.Engine.Tests;

/// <summary>Replays, tampering, spoofed endpoints and malformed datagrams against a running engine.</summary>
[Collection(nameof(NonParallel))]
public sealed class SecurityTests
{
    private const int Transport = 4;

    [Fact]
    public void Every_replayed_transport_packet_is_dropped_and_does_not_move_the_window()
    {
        using var world = EngineWorld.Create();
        world.Connect();
        var from = world.A.Conn.Endpoint;
        var to = world.B.Conn.Endpoint;
        for (var i = 0; i < 5; i++)
        {
            world.SendUdp(world.A, world.B, $"p{i}");
            Assert.Equal($"p{i}", EngineWorld.Expect(world.B));
        }

        // Hold back the next packet (counter n), then let two later ones through.
        Datagram? held = null;
        world.Network.DropWhen = d => d.Type == Transport && d.From == from && held is null && (held = d) is not null;
        world.SendUdp(world.A, world.B, "held");
        world.Settle();
        world.Network.DropWhen = null;
        world.SendUdp(world.A, world.B, "later1");
        world.SendUdp(world.A, world.B, "later2");
        Assert.Equal("later1", EngineWorld.Expect(world.B));
        Assert.Equal("later2", EngineWorld.Expect(world.B));

        var delivered = world.Traffic(world.A, world.B, Transport).Where(d => !d.Data.AsSpan().SequenceEqual(held!.Data)).ToList();
        foreach (var datagram in delivered)
        {
            world.Network.Inject(from, to, datagram.Data);
        }

        world.Settle();
        Assert.Empty(world.B.Tun.TakeAll());
        Assert.Equal(delivered.Count, world.Stats(world.B, world.A).DroppedReplay);

        // The window did not move for the replays: the held packet (older than the newest) is still new.
        world.Network.Inject(from, to, held!.Data);
        Assert.Equal("held", EngineWorld.Expect(world.B));
        world.Network.Inject(from, to, held.Data);
        world.SendUdp(world.A, world.B, "fresh");
        Assert.Equal("fresh", EngineWorld.Expect(world.B));
        world.Settle();
        Assert.Empty(world.B.Tun.TakeAll());
        Assert.Equal(delivered.Count + 1, world.Stats(world.B, world.A).DroppedReplay);
    }

    [Fact]
    public void Bit_flipped_packet_is_dropped_before_the_replay_check()
    {
        using var world = EngineWorld.Create();
        world.Connect();
        var from = world.A.Conn.Endpoint;
        Datagram? captured = null;
        world.Network.DropWhen = d => d.Type == Transport && d.From == from && captured is null && (captured = d) is not null;
        world.SendUdp(world.A, world.B, "original");
        world.Settle();
        world.Network.DropWhen = null;

        foreach (var offset in new[] { 20, captured!.Data.Length - 1 })
        {
            var flipped = captured.Data.ToArray();
            flipped[offset] ^= 0x01;
            world.Network.Inject(from, world.B.Conn.Endpoint, flipped);
        }

        world.Settle();
        Assert.Empty(world.B.Tun.TakeAll());
        Assert.Equal(2, world.Stats(world.B, world.A).DroppedDecryptFailure);
        Assert.Equal(0, world.Stats(world.B, world.A).DroppedReplay);

        // Same counter, real bytes: accepted, so the forgery never touched the window.
        world.Network.Inject(from, world.B.Conn.Endpoint, captured.Data);
        Assert.Equal("original", EngineWorld.Expect(world.B));
    }

    [Fact]
    public void Roaming_follows_authenticated_packets_only()
    {
        using var world = EngineWorld.Create();
        world.Connect();
        var original = world.A.Conn.Endpoint;
        var captured = world.Traffic(world.A, world.B, Transport)[^1].Data;

        // Forgeries and replays from an attacker's address never move A's endpoint at B.
        var attacker = VirtualNetwork.Endpoint("10.6.6.6", 666);
        var flipped = captured.ToArray();
        flipped[^1] ^= 0x80;
        var forged = new byte[64];
        forged[0] = Transport;
        captured.AsSpan(4, 4).CopyTo(forged.AsSpan(4));
        world.Network.Inject(attacker, world.B.Conn.Endpoint, captured);
        world.Network.Inject(attacker, world.B.Conn.Endpoint, flipped);
        world.Network.Inject(attacker, world.B.Conn.Endpoint, forged);
        world.Settle();
        Assert.Equal(original.ToIPEndPoint(), world.Stats(world.B, world.A).Endpoint);
        world.SendUdp(world.B, world.A, "still here");
        Assert.Equal("still here", EngineWorld.Expect(world.A));
        Assert.DoesNotContain(world.Network.Log, d => d.To == attacker);

        // A authenticated packet from a new address moves it; B's reply follows.
        var moved = VirtualNetwork.Endpoint("192.0.2.7", 4500);
        world.Network.Rebind(world.A.Conn, moved);
        world.SendUdp(world.A, world.B, "from the new address");
        Assert.Equal("from the new address", EngineWorld.Expect(world.B));
        world.Settle();
        Assert.Equal(moved.ToIPEndPoint(), world.Stats(world.B, world.A).Endpoint);
        world.SendUdp(world.B, world.A, "to the new address");
        Assert.Equal("to the new address", EngineWorld.Expect(world.A));
    }

    [Fact]
    public void Packet_with_a_source_outside_the_peers_allowed_ips_is_dropped()
    {
        using var world = EngineWorld.Create();
        world.Connect();

        world.A.Tun.Inject(Ip.Udp4("100.64.0.99", EngineWorld.AddressOf(1), "spoofed"u8.ToArray()));
        world.Settle();

        Assert.Empty(world.B.Tun.TakeAll());
        Assert.Equal(1, world.Stats(world.B, world.A).DroppedBadSourceAddress);
    }

    [Fact]
    public void Malformed_datagrams_cause_no_crash_no_reply_to_bad_mac1_and_no_memory_growth()
    {
        using var world = EngineWorld.Create();
        world.Connect();
        var samples = world.Network.Log.Select(d => d.Data).ToList();
        var fuzzer = VirtualNetwork.Endpoint("10.9.9.9", 9999);
        var target = world.B.Conn.Endpoint;
        var random = new SplitMix(1234);
        var mac1Key = new byte[32];
        NoiseProtocol.DeriveMac1Key(world.B.PublicKey, mac1Key);

        // Count replies in a hook instead of the log, so the log does not grow during the measurement.
        world.Network.Record = false;
        var cookieReplies = 0;
        var otherReplies = 0;
        world.Network.DropWhen = d =>
        {
            if (d.To == fuzzer)
            {
                Interlocked.Increment(ref d.Type == 3 ? ref cookieReplies : ref otherReplies);
            }

            return false;
        };

        var validMac1 = 0;
        void Burst()
        {
            foreach (var datagram in Fuzz(random, samples, 10_000))
            {
                validMac1 += HasValidMac1(datagram, mac1Key) ? 1 : 0;
                world.Network.Inject(fuzzer, target, datagram);
            }

            world.Settle();
        }

        Burst();
        var before = SettledHeap();
        Burst();
        var after = SettledHeap();

        Assert.Equal(0, otherReplies);
        Assert.InRange(cookieReplies, 0, validMac1); // under load, only mac1-valid handshake messages earn a cookie reply
        var stats = world.B.Device.Statistics;
        Assert.True(stats.MalformedDatagrams > 1000, $"malformed {stats.MalformedDatagrams}");
        Assert.True(stats.BadMacHandshakes > 1000, $"bad mac {stats.BadMacHandshakes}");
        Assert.True(after - before < 256 * 1024, $"heap grew by {after - before} bytes over a second burst of 10,000");

        // Still working.
        world.SendUdp(world.A, world.B, "alive");
        Assert.Equal("alive", EngineWorld.Expect(world.B));
        world.SendUdp(world.B, world.A, "alive too");
        Assert.Equal("alive too", EngineWorld.Expect(world.A));
    }

    [Fact]
    public void Handshake_messages_with_a_bad_mac1_are_never_answered_even_under_load()
    {
        using var world = EngineWorld.Create(options: _ => new Config.WireGuardDeviceOptions { UnderLoadHandshakesPerSecond = 0 });
        var fuzzer = VirtualNetwork.Endpoint("10.9.9.9", 9999);
        var random = new SplitMix(99);
        for (var i = 0; i < 1000; i++)
        {
            var datagram = new byte[i % 2 == 0 ? HandshakeInitiation.Size : HandshakeResponse.Size];
            random.NextBytes(datagram);
            BinaryPrimitives.WriteUInt32LittleEndian(datagram, i % 2 == 0 ? 1u : 2u);
            world.Network.Inject(fuzzer, world.B.Conn.Endpoint, datagram);
        }

        world.Settle();
        Assert.DoesNotContain(world.Network.Log, d => d.To == fuzzer);
        Assert.Equal(500, world.B.Device.Statistics.BadMacHandshakes);
        Assert.Equal(500, world.B.Device.Statistics.UnknownIndex);
    }

    private static long SettledHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static bool HasValidMac1(byte[] datagram, byte[] mac1Key)
    {
        var type = DatagramClassifier.Classify(datagram);
        if (type is not (MessageType.HandshakeInitiation or MessageType.HandshakeResponse))
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[16];
        var offset = datagram.Length - 32;
        Blake2s.Mac(mac1Key, datagram.AsSpan(0, offset), mac);
        return mac.SequenceEqual(datagram.AsSpan(offset, 16));
    }

    /// <summary>Random bytes, random bodies of every type at exact lengths, every truncation and bit flips of real messages.</summary>
    private static IEnumerable<byte[]> Fuzz(SplitMix random, List<byte[]> samples, int count)
    {
        var produced = 0;
        foreach (var sample in samples)
        {
            for (var length = 0; length < sample.Length && produced < count / 2; length++, produced++)
            {
                yield return sample[..length];
            }
        }

        int[] lengths = [HandshakeInitiation.Size, HandshakeResponse.Size, CookieReply.Size, TransportHeader.MinimumMessageSize, 100, 1500];
        while (produced++ < count)
        {
            byte[] datagram;
            switch (random.Next(4))
            {
                case 0:
                    datagram = new byte[random.Next(0, 1600)];
                    random.NextBytes(datagram);
                    break;
                case 1:
                    datagram = new byte[lengths[random.Next(lengths.Length)]];
                    random.NextBytes(datagram);
                    BinaryPrimitives.WriteUInt32LittleEndian(datagram, (uint)random.Next(1, 5));
                    break;
                default:
                    datagram = samples[random.Next(samples.Count)].ToArray();
                    for (var flips = random.Next(1, 4); flips > 0; flips--)
                    {
                        datagram[random.Next(datagram.Length)] ^= (byte)(1 << random.Next(8));
                    }

                    break;
            }

            yield return datagram;
        }
    }

    /// <summary>A seeded generator (System.Random's constructors are banned) so a failing fuzz run can be repeated.</summary>
    private sealed class SplitMix(ulong seed)
    {
        private ulong _state = seed;

        public int Next(int max) => (int)(NextUInt64() % (ulong)max);

        public int Next(int min, int max) => min + Next(max - min);

        public void NextBytes(Span<byte> bytes)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)NextUInt64();
            }
        }

        private ulong NextUInt64()
        {
            var z = _state += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }
}
