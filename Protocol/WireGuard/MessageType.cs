namespace HamachiCloud.Protocol.WireGuard;

/// <summary>
/// WireGuard message types: the first 4 bytes of every message, a little-endian u32 (type byte then
/// three zero reserved bytes). <see cref="Unknown"/> is what the classifier returns for anything else.
/// </summary>
public enum MessageType : uint
{
    /// <summary>Not a WireGuard message (or malformed): drop and count.</summary>
    Unknown = 0,

    /// <summary>Handshake initiation, exactly 148 bytes.</summary>
    HandshakeInitiation = 1,

    /// <summary>Handshake response, exactly 92 bytes.</summary>
    HandshakeResponse = 2,

    /// <summary>Cookie reply, exactly 64 bytes.</summary>
    CookieReply = 3,

    /// <summary>Transport data, at least 32 bytes (16 header + 16 tag).</summary>
    TransportData = 4,
}
