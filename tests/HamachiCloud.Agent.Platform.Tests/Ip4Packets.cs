using System.Buffers.Binary;
using System.Net;

namespace HamachiCloud.Agent.Platform.Tests;

/// <summary>Builds and reads the raw IPv4 packets the TUN tests write and expect (independent of the engine).</summary>
internal static class Ip4Packets
{
    public const byte Icmp = 1;
    public const byte Udp = 17;

    public static byte[] UdpPacket(IPAddress source, ushort sourcePort, IPAddress destination, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        var packet = new byte[20 + 8 + payload.Length];
        Header(packet, Udp, source, destination);
        var udp = packet.AsSpan(20);
        BinaryPrimitives.WriteUInt16BigEndian(udp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payload.Length));
        payload.CopyTo(udp[8..]);
        return packet; // UDP checksum 0: none (allowed over IPv4).
    }

    public static byte[] EchoRequest(IPAddress source, IPAddress destination, ushort id, ushort sequence)
    {
        var packet = new byte[20 + 8 + 16];
        Header(packet, Icmp, source, destination);
        var icmp = packet.AsSpan(20);
        icmp[0] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(icmp[4..], id);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[6..], sequence);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], Checksum(icmp));
        return packet;
    }

    public static bool IsIPv4(ReadOnlySpan<byte> packet) => packet.Length >= 20 && packet[0] >> 4 == 4;

    public static byte Protocol(ReadOnlySpan<byte> packet) => packet[9];

    public static IPAddress Source(ReadOnlySpan<byte> packet) => new(packet.Slice(12, 4));

    public static IPAddress Destination(ReadOnlySpan<byte> packet) => new(packet.Slice(16, 4));

    public static ushort UdpDestinationPort(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt16BigEndian(packet[(HeaderLength(packet) + 2)..]);

    public static ReadOnlySpan<byte> UdpPayload(ReadOnlySpan<byte> packet) => packet[(HeaderLength(packet) + 8)..];

    public static ReadOnlySpan<byte> Transport(ReadOnlySpan<byte> packet) => packet[HeaderLength(packet)..];

    private static int HeaderLength(ReadOnlySpan<byte> packet) => (packet[0] & 0xF) * 4;

    private static void Header(Span<byte> packet, byte protocol, IPAddress source, IPAddress destination)
    {
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = protocol;
        source.TryWriteBytes(packet[12..16], out _);
        destination.TryWriteBytes(packet[16..20], out _);
        BinaryPrimitives.WriteUInt16BigEndian(packet[10..], Checksum(packet[..20]));
    }

    private static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (data.Length % 2 == 1)
        {
            sum += (uint)data[^1] << 8;
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
