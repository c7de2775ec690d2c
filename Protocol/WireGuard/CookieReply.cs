using System.Buffers.Binary;

namespace HamachiCloud.Protocol.WireGuard;

/// <summary>
/// Cookie reply (type 3), 64 bytes, sent by a peer under load instead of processing a handshake message
/// (whitepaper §5.4.7). Zero-copy view.
/// <code>
///  0      1               4               8
///  +------+---------------+---------------+
///  | 0x03 | reserved 0 0 0| receiver(u32LE)|
///  +------+---------------+---------------+
///  8   nonce (24, random)                  32
///  32  encrypted cookie (16 + 16 tag)      64
/// </code>
/// </summary>
public readonly ref struct CookieReply
{
    /// <summary>Exact message length.</summary>
    public const int Size = 64;

    /// <summary>Builds a view over the given fields (lengths 24, 32).</summary>
    public CookieReply(uint receiverIndex, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> encryptedCookie)
    {
        if (nonce.Length != 24 || encryptedCookie.Length != 32)
        {
            throw new ArgumentException("cookie reply: field lengths must be 24/32");
        }

        ReceiverIndex = receiverIndex;
        Nonce = nonce;
        EncryptedCookie = encryptedCookie;
    }

    /// <summary>The sender index of the handshake message this answers.</summary>
    public uint ReceiverIndex { get; }

    /// <summary>The XChaCha20 nonce (24).</summary>
    public ReadOnlySpan<byte> Nonce { get; }

    /// <summary>XAEAD of the 16-byte cookie (32).</summary>
    public ReadOnlySpan<byte> EncryptedCookie { get; }

    /// <summary>Parses exactly <see cref="Size"/> bytes with type 3 and zero reserved bytes.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out CookieReply message)
    {
        if (datagram.Length != Size || BinaryPrimitives.ReadUInt32LittleEndian(datagram) != (uint)MessageType.CookieReply)
        {
            message = default;
            return false;
        }

        message = new CookieReply(BinaryPrimitives.ReadUInt32LittleEndian(datagram[4..]), datagram.Slice(8, 24), datagram.Slice(32, 32));
        return true;
    }

    /// <summary>Writes the 64-byte message.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < Size || Nonce.Length != 24)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)MessageType.CookieReply);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], ReceiverIndex);
        Nonce.CopyTo(destination[8..]);
        EncryptedCookie.CopyTo(destination[32..]);
        written = Size;
        return true;
    }
}
