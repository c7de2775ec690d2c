using System.Buffers.Binary;

namespace HamachiCloud.Protocol.WireGuard;

/// <summary>
/// Handshake initiation (type 1), 148 bytes, initiator to responder (whitepaper §5.4.2). A zero-copy view:
/// the spans point into the parsed datagram.
/// <code>
///  0      1               4               8
///  +------+---------------+---------------+
///  | 0x01 | reserved 0 0 0| sender (u32LE)|
///  +------+---------------+---------------+
///  8   ephemeral public key (32)           40
///  40  encrypted static (32 + 16 tag)      88
///  88  encrypted timestamp (12 + 16 tag)   116
///  116 mac1 (16)                           132
///  132 mac2 (16)                           148
/// </code>
/// </summary>
public readonly ref struct HandshakeInitiation
{
    /// <summary>Exact message length.</summary>
    public const int Size = 148;

    /// <summary>Offset of mac1: the bytes before it are what mac1 covers.</summary>
    public const int Mac1Offset = 116;

    /// <summary>Offset of mac2: the bytes before it are what mac2 covers.</summary>
    public const int Mac2Offset = 132;

    /// <summary>Builds a view over the given fields (lengths 32, 48, 28, 16, 16).</summary>
    public HandshakeInitiation(uint senderIndex, ReadOnlySpan<byte> ephemeral, ReadOnlySpan<byte> encryptedStatic, ReadOnlySpan<byte> encryptedTimestamp, ReadOnlySpan<byte> mac1, ReadOnlySpan<byte> mac2)
    {
        if (ephemeral.Length != 32 || encryptedStatic.Length != 48 || encryptedTimestamp.Length != 28 || mac1.Length != 16 || mac2.Length != 16)
        {
            throw new ArgumentException("handshake initiation: field lengths must be 32/48/28/16/16");
        }

        SenderIndex = senderIndex;
        Ephemeral = ephemeral;
        EncryptedStatic = encryptedStatic;
        EncryptedTimestamp = encryptedTimestamp;
        Mac1 = mac1;
        Mac2 = mac2;
    }

    /// <summary>The initiator's session index.</summary>
    public uint SenderIndex { get; }

    /// <summary>The initiator's ephemeral public key (32).</summary>
    public ReadOnlySpan<byte> Ephemeral { get; }

    /// <summary>AEAD of the initiator's static public key (48).</summary>
    public ReadOnlySpan<byte> EncryptedStatic { get; }

    /// <summary>AEAD of the TAI64N timestamp (28).</summary>
    public ReadOnlySpan<byte> EncryptedTimestamp { get; }

    /// <summary>mac1 (16).</summary>
    public ReadOnlySpan<byte> Mac1 { get; }

    /// <summary>mac2 (16), zero when no cookie is held.</summary>
    public ReadOnlySpan<byte> Mac2 { get; }

    /// <summary>Parses exactly <see cref="Size"/> bytes with type 1 and zero reserved bytes.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out HandshakeInitiation message)
    {
        if (datagram.Length != Size || BinaryPrimitives.ReadUInt32LittleEndian(datagram) != (uint)MessageType.HandshakeInitiation)
        {
            message = default;
            return false;
        }

        message = new HandshakeInitiation(
            BinaryPrimitives.ReadUInt32LittleEndian(datagram[4..]),
            datagram.Slice(8, 32),
            datagram.Slice(40, 48),
            datagram.Slice(88, 28),
            datagram.Slice(Mac1Offset, 16),
            datagram.Slice(Mac2Offset, 16));
        return true;
    }

    /// <summary>Writes the 148-byte message.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < Size || Ephemeral.Length != 32)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)MessageType.HandshakeInitiation);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], SenderIndex);
        Ephemeral.CopyTo(destination[8..]);
        EncryptedStatic.CopyTo(destination[40..]);
        EncryptedTimestamp.CopyTo(destination[88..]);
        Mac1.CopyTo(destination[Mac1Offset..]);
        Mac2.CopyTo(destination[Mac2Offset..]);
        written = Size;
        return true;
    }
}
