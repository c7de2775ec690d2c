using System.Buffers.Binary;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>A 32-byte key as a value, for allocation-free dictionary lookups on the hot path.</summary>
internal readonly record struct Key32(ulong A, ulong B, ulong C, ulong D)
{
    public static Key32 From(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]));
}
