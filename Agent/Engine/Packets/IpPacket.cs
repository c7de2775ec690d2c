using System.Buffers.Binary;

namespace HamachiCloud.Agent.Engine.Packets;

/// <summary>
/// Just enough IPv4/IPv6 header reading for cryptokey routing: version, real length (the decrypted
/// plaintext is zero-padded), source and destination addresses, and whether a destination is broadcast
/// or multicast. Pure and allocation-free; never throws on input.
/// </summary>
public static class IpPacket
{
    /// <summary>IPv4 header without options.</summary>
    public const int IPv4HeaderSize = 20;

    /// <summary>IPv6 fixed header.</summary>
    public const int IPv6HeaderSize = 40;

    /// <summary>The IP version nibble (4 or 6), or 0 for an empty or other packet.</summary>
    public static int Version(ReadOnlySpan<byte> packet) => packet.IsEmpty ? 0 : packet[0] >> 4;

    /// <summary>
    /// The packet's length according to its own header, when the header is whole and the length fits
    /// in <paramref name="packet"/>; false for anything else (it is then malformed).
    /// </summary>
    public static bool TryGetLength(ReadOnlySpan<byte> packet, out int length)
    {
        length = 0;
        switch (Version(packet))
        {
            case 4 when packet.Length >= IPv4HeaderSize:
                length = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
                return length >= IPv4HeaderSize && length >= (packet[0] & 0x0F) * 4 && length <= packet.Length;
            case 6 when packet.Length >= IPv6HeaderSize:
                length = IPv6HeaderSize + BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
                return length <= packet.Length;
            default:
                return false;
        }
    }

    /// <summary>The source address bytes (4 or 16); empty when the header is not whole.</summary>
    public static ReadOnlySpan<byte> Source(ReadOnlySpan<byte> packet) => Version(packet) switch
    {
        4 when packet.Length >= IPv4HeaderSize => packet.Slice(12, 4),
        6 when packet.Length >= IPv6HeaderSize => packet.Slice(8, 16),
        _ => [],
    };

    /// <summary>The destination address bytes (4 or 16); empty when the header is not whole.</summary>
    public static ReadOnlySpan<byte> Destination(ReadOnlySpan<byte> packet) => Version(packet) switch
    {
        4 when packet.Length >= IPv4HeaderSize => packet.Slice(16, 4),
        6 when packet.Length >= IPv6HeaderSize => packet.Slice(24, 16),
        _ => [],
    };

    /// <summary>
    /// True for 255.255.255.255, <paramref name="subnetBroadcast"/> (an IPv4 address as a big-endian
    /// u32, 0 = none), 224.0.0.0/4 and ff00::/8.
    /// </summary>
    public static bool IsBroadcastOrMulticast(ReadOnlySpan<byte> destination, uint subnetBroadcast)
    {
        if (destination.Length == 4)
        {
            var address = BinaryPrimitives.ReadUInt32BigEndian(destination);
            return address == uint.MaxValue || (address >> 28) == 0xE || (subnetBroadcast != 0 && address == subnetBroadcast);
        }

        return destination.Length == 16 && destination[0] == 0xFF;
    }

    /// <summary>The address as a 128-bit key (IPv4 mapped as ::ffff:a.b.c.d), for dictionaries.</summary>
    public static UInt128 ToKey(ReadOnlySpan<byte> address) => address.Length switch
    {
        4 => ((UInt128)0xFFFF << 32) | BinaryPrimitives.ReadUInt32BigEndian(address),
        16 => BinaryPrimitives.ReadUInt128BigEndian(address),
        _ => UInt128.Zero,
    };
}
