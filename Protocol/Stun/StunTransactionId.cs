using System.Buffers.Binary;
using System.Security.Cryptography;

namespace HamachiCloud.Protocol.Stun;

/// <summary>The 96-bit STUN transaction id (header bytes 8..19). Value type; equality by value.</summary>
public readonly record struct StunTransactionId(ulong High, uint Low)
{
    public const int Size = 12;

    public static StunTransactionId FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Size
            ? new StunTransactionId(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]))
            : throw new ArgumentException($"stun transaction id: length {bytes.Length} != {Size}", nameof(bytes));

    /// <summary>A fresh random id from the composition root's generator.</summary>
    public static StunTransactionId New(RandomNumberGenerator random)
    {
        Span<byte> bytes = stackalloc byte[Size];
        random.GetBytes(bytes);
        return FromBytes(bytes);
    }

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Low);
    }

    public override string ToString() => $"{High:x16}{Low:x8}";
}
