using System.Buffers.Binary;

namespace HamachiCloud.Agent.Platform.Linux;

/// <summary>
/// TUN offloads (IFF_VNET_HDR + TUNSETOFFLOAD): every packet carries a 10-byte virtio_net_hdr, the
/// kernel may hand over TCP super-packets (up to 64 KiB, <c>gso_size</c> = MSS) and leave checksums
/// partial (NEEDS_CSUM). This splits a super-packet into MTU-sized TCP segments with correct IP and TCP
/// headers and checksums, and completes partial checksums. Pure span code; allocation-free.
/// </summary>
internal static class TunOffload
{
    public const int VnetHeaderSize = 10;
    public const uint TunFCsum = 0x01;
    public const uint TunFTso4 = 0x02;
    public const uint TunFTso6 = 0x04;
    public const byte GsoNone = 0;
    public const byte GsoTcpV4 = 1;
    public const byte GsoTcpV6 = 4;
    private const byte NeedsChecksum = 1;
    private const byte GsoEcn = 0x80;
    private const byte TcpProtocol = 6;

    /// <summary>What one read from the TUN holds: a plain packet (Segments 1) or a TCP super-packet.</summary>
    public readonly record struct Layout(int PacketStart, int PacketLength, int Segments, int HeaderLength, int IpHeaderLength, int SegmentSize);

    /// <summary>
    /// Reads the virtio header of <paramref name="read"/> (header + packet) and completes a partial
    /// checksum of a non-GSO packet in place. False for what cannot be handled (dropped, counted by caller).
    /// </summary>
    public static bool TryPrepare(Span<byte> read, out Layout layout)
    {
        layout = default;
        if (read.Length <= VnetHeaderSize)
        {
            return false;
        }

        var flags = read[0];
        var gsoType = (byte)(read[1] & ~GsoEcn);
        var gsoSize = BinaryPrimitives.ReadUInt16LittleEndian(read[4..]);
        var checksumStart = BinaryPrimitives.ReadUInt16LittleEndian(read[6..]);
        var checksumOffset = BinaryPrimitives.ReadUInt16LittleEndian(read[8..]);
        var packet = read[VnetHeaderSize..];
        if (gsoType == GsoNone)
        {
            if ((flags & NeedsChecksum) != 0)
            {
                if (checksumStart + checksumOffset + 2 > packet.Length)
                {
                    return false;
                }

                var sum = Sum(packet[checksumStart..], 0);
                BinaryPrimitives.WriteUInt16BigEndian(packet[(checksumStart + checksumOffset)..], Finish(sum));
            }

            layout = new Layout(VnetHeaderSize, packet.Length, 1, 0, 0, 0);
            return true;
        }

        if (gsoType is not (GsoTcpV4 or GsoTcpV6) || gsoSize == 0 || packet.Length < 40)
        {
            return false;
        }

        var v4 = packet[0] >> 4 == 4;
        var ipHeader = v4 ? (packet[0] & 0xF) * 4 : 40;
        var protocol = v4 ? packet[9] : packet[6];
        if (protocol != TcpProtocol || packet.Length < ipHeader + 20)
        {
            return false;
        }

        var header = ipHeader + ((packet[ipHeader + 12] >> 4) * 4);
        var payload = packet.Length - header;
        if (payload <= 0 || header > packet.Length)
        {
            return false;
        }

        layout = new Layout(VnetHeaderSize, packet.Length, (payload + gsoSize - 1) / gsoSize, header, ipHeader, gsoSize);
        return true;
    }

    /// <summary>Writes segment <paramref name="index"/> of a TCP super-packet to <paramref name="destination"/>; returns its length, 0 if it does not fit.</summary>
    public static int WriteSegment(ReadOnlySpan<byte> packet, in Layout layout, int index, Span<byte> destination)
    {
        var payload = packet.Length - layout.HeaderLength;
        var start = index * layout.SegmentSize;
        var length = Math.Min(layout.SegmentSize, payload - start);
        var total = layout.HeaderLength + length;
        if (total > destination.Length)
        {
            return 0;
        }

        packet[..layout.HeaderLength].CopyTo(destination);
        packet.Slice(layout.HeaderLength + start, length).CopyTo(destination[layout.HeaderLength..]);
        var ip = layout.IpHeaderLength;
        var v4 = packet[0] >> 4 == 4;
        if (v4)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)total);
            BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(packet[4..]) + index));
            destination[10] = 0;
            destination[11] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(destination[10..], Finish(Sum(destination[..ip], 0)));
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)(total - 40));
        }

        var tcp = destination[ip..total];
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], BinaryPrimitives.ReadUInt32BigEndian(packet[(ip + 4)..]) + (uint)start);
        var last = start + length >= payload;
        if (!last)
        {
            tcp[13] &= unchecked((byte)~0x09); // FIN, PSH only on the last segment
        }

        if (index > 0)
        {
            tcp[13] &= unchecked((byte)~0x80); // CWR only on the first
        }

        tcp[16] = 0;
        tcp[17] = 0;
        ulong pseudo = v4
            ? Sum(destination.Slice(12, 8), 0)
            : Sum(destination.Slice(8, 32), 0);
        pseudo += TcpProtocol + (ulong)tcp.Length;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], Finish(Sum(tcp, pseudo)));
        return total;
    }

    private static ulong Sum(ReadOnlySpan<byte> data, ulong sum)
    {
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (ulong)data[i] << 8;
        }

        return sum;
    }

    private static ushort Finish(ulong sum)
    {
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        var result = (ushort)~sum;
        return result == 0 ? (ushort)0xFFFF : result;
    }
}
