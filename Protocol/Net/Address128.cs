using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace HamachiCloud.Protocol.Net;

/// <summary>IP addresses as one 128-bit number: the 16-byte form, big-endian, with IPv4 as ::ffff:a.b.c.d.</summary>
public static class Address128
{
    public static UInt128 From(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            bytes[..10].Clear();
            bytes[10] = 0xFF;
            bytes[11] = 0xFF;
            address.TryWriteBytes(bytes[12..], out _);
        }
        else
        {
            address.TryWriteBytes(bytes, out _);
        }

        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    /// <summary>From the two big-endian halves of the 16-byte form.</summary>
    public static UInt128 From(ulong high, ulong low) => new(high, low);
}
