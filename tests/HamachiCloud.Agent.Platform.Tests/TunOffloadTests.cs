using System.Buffers.Binary;
using System.Net;
using HamachiCloud.Agent.Platform.Linux;

namespace HamachiCloud.Agent.Platform.Tests;

/// <summary>Super-packet segmentation and partial-checksum completion, checked by independent checksum math.</summary>
public sealed class TunOffloadTests
{
    private static readonly IPAddress Source = IPAddress.Parse("100.64.0.1");
    private static readonly IPAddress Destination = IPAddress.Parse("100.64.0.2");

    [Theory]
    [InlineData(3500, 1000)]
    [InlineData(1000, 1000)]
    [InlineData(64000, 1368)]
    public void Tcp_super_packet_splits_into_valid_segments(int payloadLength, int mss)
    {
        var payload = new byte[payloadLength];
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)(i * 7);
        }

        var read = SuperPacket(payload, mss, flags: 0x19 | 0x80); // FIN PSH ACK CWR
        Assert.True(TunOffload.TryPrepare(read, out var layout));
        Assert.Equal((payloadLength + mss - 1) / mss, layout.Segments);
        Assert.Equal(40, layout.HeaderLength);

        var reassembled = new List<byte>();
        var packet = read.AsSpan(layout.PacketStart, layout.PacketLength).ToArray();
        for (var i = 0; i < layout.Segments; i++)
        {
            var segment = new byte[1500];
            var length = TunOffload.WriteSegment(packet, layout, i, segment);
            var s = segment.AsSpan(0, length);
            Assert.Equal(length, BinaryPrimitives.ReadUInt16BigEndian(s[2..]));
            Assert.Equal((ushort)(0x1234 + i), BinaryPrimitives.ReadUInt16BigEndian(s[4..]));
            Assert.True(Ip4Packets.HeaderChecksumValid(s), $"segment {i}: IP header checksum");
            Assert.True(Ip4Packets.TransportChecksumValid(s), $"segment {i}: TCP checksum");
            Assert.Equal(1000u + (uint)(i * mss), BinaryPrimitives.ReadUInt32BigEndian(s[24..]));
            var last = i == layout.Segments - 1;
            Assert.Equal(last ? 0x09 : 0, s[33] & 0x09);
            Assert.Equal(i == 0 ? 0x80 : 0, s[33] & 0x80);
            Assert.Equal(0x10, s[33] & 0x10);
            reassembled.AddRange(s[40..].ToArray());
        }

        Assert.Equal(payload, reassembled);
    }

    [Fact]
    public void Tcp_over_ipv6_super_packet_splits_into_valid_segments()
    {
        const int Mss = 1200;
        var payload = Enumerable.Range(0, 5000).Select(i => (byte)(i * 13)).ToArray();
        var read = new byte[TunOffload.VnetHeaderSize + 60 + payload.Length];
        read[0] = 1;
        read[1] = TunOffload.GsoTcpV6;
        BinaryPrimitives.WriteUInt16LittleEndian(read.AsSpan(4), Mss);
        var p = read.AsSpan(TunOffload.VnetHeaderSize);
        p[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(p[4..], (ushort)(20 + payload.Length));
        p[6] = 6;
        p[7] = 64;
        IPAddress.Parse("fd7a::1").TryWriteBytes(p[8..24], out _);
        IPAddress.Parse("fd7a::2").TryWriteBytes(p[24..40], out _);
        BinaryPrimitives.WriteUInt32BigEndian(p[44..], 5);
        p[52] = 0x50;
        p[53] = 0x18;
        payload.CopyTo(p[60..]);

        Assert.True(TunOffload.TryPrepare(read, out var layout));
        Assert.Equal(5, layout.Segments);
        var reassembled = new List<byte>();
        Span<byte> pseudo = stackalloc byte[40];
        for (var i = 0; i < layout.Segments; i++)
        {
            var segment = new byte[1500];
            var length = TunOffload.WriteSegment(read.AsSpan(layout.PacketStart, layout.PacketLength), layout, i, segment);
            var s = segment.AsSpan(0, length);
            Assert.Equal(length - 40, BinaryPrimitives.ReadUInt16BigEndian(s[4..]));
            Assert.Equal(5u + (uint)(i * Mss), BinaryPrimitives.ReadUInt32BigEndian(s[44..]));

            // Independent check: pseudo-header (src, dst, 32-bit length, next header) + segment sums to 0xFFFF.
            var tcp = s[40..];
            s.Slice(8, 32).CopyTo(pseudo);
            BinaryPrimitives.WriteUInt32BigEndian(pseudo[32..], (uint)tcp.Length);
            pseudo[39] = 6;
            Assert.Equal(0xFFFF, Ip4Packets.Fold(Ip4Packets.SumWords(pseudo) + Ip4Packets.SumWords(tcp)));
            Assert.Equal(i == layout.Segments - 1 ? 0x08 : 0, s[53] & 0x08);
            reassembled.AddRange(tcp[20..].ToArray());
        }

        Assert.Equal(payload, reassembled);
    }

    [Fact]
    public void Segment_that_does_not_fit_the_buffer_is_refused()
    {
        var read = SuperPacket(new byte[3000], 1400, flags: 0x10);
        Assert.True(TunOffload.TryPrepare(read, out var layout));
        Assert.Equal(0, TunOffload.WriteSegment(read.AsSpan(layout.PacketStart, layout.PacketLength), layout, 0, new byte[100]));
    }

    [Fact]
    public void Partial_udp_checksum_is_completed()
    {
        var packet = Ip4Packets.UdpPacket(Source, 5555, Destination, 4000, "partial checksum"u8);
        // As the kernel leaves it: the checksum field holds the folded pseudo-header sum only.
        Span<byte> pseudo = stackalloc byte[12];
        packet.AsSpan(12, 8).CopyTo(pseudo);
        pseudo[9] = 17;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo[10..], (ushort)(packet.Length - 20));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(26), Ip4Packets.Fold(Ip4Packets.SumWords(pseudo)));
        var read = new byte[TunOffload.VnetHeaderSize + packet.Length];
        read[0] = 1; // NEEDS_CSUM
        BinaryPrimitives.WriteUInt16LittleEndian(read.AsSpan(6), 20);
        BinaryPrimitives.WriteUInt16LittleEndian(read.AsSpan(8), 6);
        packet.CopyTo(read, TunOffload.VnetHeaderSize);

        Assert.True(TunOffload.TryPrepare(read, out var layout));
        Assert.Equal(1, layout.Segments);
        Assert.True(Ip4Packets.TransportChecksumValid(read.AsSpan(layout.PacketStart, layout.PacketLength)));
    }

    [Fact]
    public void Unknown_gso_type_and_runts_are_refused()
    {
        Assert.False(TunOffload.TryPrepare(new byte[5], out _));
        var read = SuperPacket(new byte[3000], 1000, flags: 0x10);
        read[1] = 5; // UDP_L4: never enabled, never expected
        Assert.False(TunOffload.TryPrepare(read, out _));
    }

    private static byte[] SuperPacket(byte[] payload, int mss, byte flags)
    {
        var read = new byte[TunOffload.VnetHeaderSize + 40 + payload.Length];
        read[0] = 1;
        read[1] = TunOffload.GsoTcpV4;
        BinaryPrimitives.WriteUInt16LittleEndian(read.AsSpan(2), 40);
        BinaryPrimitives.WriteUInt16LittleEndian(read.AsSpan(4), (ushort)mss);
        BinaryPrimitives.WriteUInt16LittleEndian(read.AsSpan(6), 20);
        BinaryPrimitives.WriteUInt16LittleEndian(read.AsSpan(8), 16);
        var p = read.AsSpan(TunOffload.VnetHeaderSize);
        p[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(p[2..], (ushort)Math.Min(65535, p.Length));
        BinaryPrimitives.WriteUInt16BigEndian(p[4..], 0x1234);
        p[8] = 64;
        p[9] = 6;
        Source.TryWriteBytes(p[12..16], out _);
        Destination.TryWriteBytes(p[16..20], out _);
        BinaryPrimitives.WriteUInt16BigEndian(p[20..], 40000);
        BinaryPrimitives.WriteUInt16BigEndian(p[22..], 5001);
        BinaryPrimitives.WriteUInt32BigEndian(p[24..], 1000);
        BinaryPrimitives.WriteUInt32BigEndian(p[28..], 777);
        p[32] = 0x50;
        p[33] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(p[34..], 512);
        payload.CopyTo(p[40..]);
        return read;
    }
}
