using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace HamachiCloud.Agent.Engine.IO;

/// <summary>
/// A UDP endpoint as a value (no allocation per packet): the address in IPv6 form (IPv4 mapped
/// as ::ffff:a.b.c.d) plus the port. Convert to <see cref="IPEndPoint"/> only off the hot path.
/// </summary>
public readonly record struct NetEndpoint(UInt128 Address, ushort Port)
{
    private static readonly UInt128 V4MappedPrefix = (UInt128)0xFFFF << 32;
    private static readonly UInt128 V4Mask = ~(UInt128)0xFFFF_FFFF;

    public bool IsIPv4 => (Address & V4Mask) == V4MappedPrefix;

    public static NetEndpoint FromIPv4(ReadOnlySpan<byte> address, ushort port) =>
        new(V4MappedPrefix | BinaryPrimitives.ReadUInt32BigEndian(address), port);

    public static NetEndpoint FromIPv6(ReadOnlySpan<byte> address, ushort port) =>
        new(BinaryPrimitives.ReadUInt128BigEndian(address), port);

    public static NetEndpoint From(IPEndPoint endpoint)
    {
        Span<byte> bytes = stackalloc byte[16];
        var address = endpoint.Address;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes, out _);
            return FromIPv4(bytes[..4], (ushort)endpoint.Port);
        }

        address.TryWriteBytes(bytes, out _);
        return FromIPv6(bytes, (ushort)endpoint.Port);
    }

    /// <summary>Writes the address bytes (4 for IPv4, 16 for IPv6); returns the count.</summary>
    public int WriteAddress(Span<byte> destination)
    {
        if (IsIPv4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)(Address & 0xFFFF_FFFF));
            return 4;
        }

        BinaryPrimitives.WriteUInt128BigEndian(destination, Address);
        return 16;
    }

    public IPEndPoint ToIPEndPoint()
    {
        Span<byte> bytes = stackalloc byte[16];
        var n = WriteAddress(bytes);
        return new IPEndPoint(new IPAddress(bytes[..n]), Port);
    }

    public override string ToString() => ToIPEndPoint().ToString();
}
