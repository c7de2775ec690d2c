using System.Buffers.Binary;

namespace HamachiCloud.Protocol.WireGuard;

/// <summary>
/// Classifies a received UDP payload by its first four bytes and its length, the way wireguard-go's
/// receive loop does: the u32 little-endian type must be 1..4 (so the reserved bytes are zero) and the
/// length must be exact for handshake messages and at least <see cref="TransportHeader.MinimumMessageSize"/>
/// for transport data. Everything else is <see cref="MessageType.Unknown"/>. Never throws.
/// </summary>
public static class DatagramClassifier
{
    /// <summary>The WireGuard message type of <paramref name="datagram"/>, or Unknown.</summary>
    public static MessageType Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < 4)
        {
            return MessageType.Unknown;
        }

        return (MessageType)BinaryPrimitives.ReadUInt32LittleEndian(datagram) switch
        {
            MessageType.HandshakeInitiation when datagram.Length == HandshakeInitiation.Size => MessageType.HandshakeInitiation,
            MessageType.HandshakeResponse when datagram.Length == HandshakeResponse.Size => MessageType.HandshakeResponse,
            MessageType.CookieReply when datagram.Length == CookieReply.Size => MessageType.CookieReply,
            MessageType.TransportData when datagram.Length >= TransportHeader.MinimumMessageSize => MessageType.TransportData,
            _ => MessageType.Unknown,
        };
    }
}
