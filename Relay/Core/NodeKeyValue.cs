using System.Buffers.Binary;

namespace HamachiCloud.Relay.Core;

/// <summary>A 32-byte node key as an allocation-free dictionary key.</summary>
internal readonly record struct NodeKeyValue(ulong A, ulong B, ulong C, ulong D)
{
    public static NodeKeyValue From(ReadOnlySpan<byte> key) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(key),
        BinaryPrimitives.ReadUInt64LittleEndian(key[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(key[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(key[24..]));

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, A);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], B);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], C);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], D);
    }
}
