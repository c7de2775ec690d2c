using System.Buffers.Binary;

namespace HamachiCloud.Protocol.WireGuard;

/// <summary>
/// Transport data header (type 4), 16 bytes, followed by the encrypted, zero-padded packet and its tag
/// (whitepaper §5.4.6). The plaintext is padded to a multiple of 16 bytes; a keepalive has none.
/// <code>
///  0      1               4               8                               16
///  +------+---------------+---------------+-------------------------------+
///  | 0x04 | reserved 0 0 0| receiver(u32LE)| counter (u64 LE)              |
///  +------+---------------+---------------+-------------------------------+
///  16  AEAD(packet || zero padding to 16n) (16n + 16 tag)
/// </code>
/// </summary>
public readonly record struct TransportHeader(uint ReceiverIndex, ulong Counter)
{
    /// <summary>Header length.</summary>
    public const int Size = 16;

    /// <summary>Smallest valid message: header plus the tag of an empty (keepalive) payload.</summary>
    public const int MinimumMessageSize = Size + 16;

    /// <summary>Padding granularity of the plaintext.</summary>
    public const int PaddingMultiple = 16;

    /// <summary>Length of <paramref name="packetLength"/> bytes after zero padding.</summary>
    public static int PaddedLength(int packetLength) => (packetLength + PaddingMultiple - 1) & ~(PaddingMultiple - 1);

    /// <summary>Parses the header of a message of at least <see cref="MinimumMessageSize"/> bytes.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out TransportHeader header)
    {
        if (datagram.Length < MinimumMessageSize || BinaryPrimitives.ReadUInt32LittleEndian(datagram) != (uint)MessageType.TransportData)
        {
            header = default;
            return false;
        }

        header = new TransportHeader(BinaryPrimitives.ReadUInt32LittleEndian(datagram[4..]), BinaryPrimitives.ReadUInt64LittleEndian(datagram[8..]));
        return true;
    }

    /// <summary>Writes the 16-byte header.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < Size)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)MessageType.TransportData);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], ReceiverIndex);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], Counter);
        written = Size;
        return true;
    }
}
