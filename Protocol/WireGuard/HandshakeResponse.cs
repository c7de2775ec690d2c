using System.Buffers.Binary;

namespace HamachiCloud.Protocol.WireGuard;

/// <summary>
/// Handshake response (type 2), 92 bytes, responder to initiator (whitepaper §5.4.3). Zero-copy view.
/// <code>
///  0      1               4               8               12
///  +------+---------------+---------------+---------------+
///  | 0x02 | reserved 0 0 0| sender (u32LE)| receiver(u32LE)|
///  +------+---------------+---------------+---------------+
///  12  ephemeral public key (32)           44
///  44  encrypted empty (0 + 16 tag)        60
///  60  mac1 (16)                           76
///  76  mac2 (16)                           92
/// </code>
/// </summary>
public readonly ref struct HandshakeResponse
{
    /// <summary>Exact message length.</summary>
    public const int Size = 92;

    /// <summary>Offset of mac1.</summary>
    public const int Mac1Offset = 60;

    /// <summary>Offset of mac2.</summary>
    public const int Mac2Offset = 76;

    /// <summary>Builds a view over the given fields (lengths 32, 16, 16, 16).</summary>
    public HandshakeResponse(uint senderIndex, uint receiverIndex, ReadOnlySpan<byte> ephemeral, ReadOnlySpan<byte> encryptedNothing, ReadOnlySpan<byte> mac1, ReadOnlySpan<byte> mac2)
    {
        if (ephemeral.Length != 32 || encryptedNothing.Length != 16 || mac1.Length != 16 || mac2.Length != 16)
        {
            throw new ArgumentException("handshake response: field lengths must be 32/16/16/16");
        }

        SenderIndex = senderIndex;
        ReceiverIndex = receiverIndex;
        Ephemeral = ephemeral;
        EncryptedNothing = encryptedNothing;
        Mac1 = mac1;
        Mac2 = mac2;
    }

    /// <summary>The responder's session index.</summary>
    public uint SenderIndex { get; }

    /// <summary>The initiator's session index (from the initiation).</summary>
    public uint ReceiverIndex { get; }

    /// <summary>The responder's ephemeral public key (32).</summary>
    public ReadOnlySpan<byte> Ephemeral { get; }

    /// <summary>AEAD of the empty plaintext: just the 16-byte tag.</summary>
    public ReadOnlySpan<byte> EncryptedNothing { get; }

    /// <summary>mac1 (16).</summary>
    public ReadOnlySpan<byte> Mac1 { get; }

    /// <summary>mac2 (16).</summary>
    public ReadOnlySpan<byte> Mac2 { get; }

    /// <summary>Parses exactly <see cref="Size"/> bytes with type 2 and zero reserved bytes.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out HandshakeResponse message)
    {
        if (datagram.Length != Size || BinaryPrimitives.ReadUInt32LittleEndian(datagram) != (uint)MessageType.HandshakeResponse)
        {
            message = default;
            return false;
        }

        message = new HandshakeResponse(
            BinaryPrimitives.ReadUInt32LittleEndian(datagram[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(datagram[8..]),
            datagram.Slice(12, 32),
            datagram.Slice(44, 16),
            datagram.Slice(Mac1Offset, 16),
            datagram.Slice(Mac2Offset, 16));
        return true;
    }

    /// <summary>Writes the 92-byte message.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < Size || Ephemeral.Length != 32)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)MessageType.HandshakeResponse);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], SenderIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], ReceiverIndex);
        Ephemeral.CopyTo(destination[12..]);
        EncryptedNothing.CopyTo(destination[44..]);
        Mac1.CopyTo(destination[Mac1Offset..]);
        Mac2.CopyTo(destination[Mac2Offset..]);
        written = Size;
        return true;
    }
}
