namespace HamachiCloud.Protocol.WireGuard;

/// <summary>The outcome of consuming a handshake message; everything but <see cref="Accepted"/> is a drop.</summary>
public enum HandshakeStatus
{
    /// <summary>The message was valid and the handshake state advanced.</summary>
    Accepted,

    /// <summary>Wrong length, type or reserved bytes.</summary>
    Malformed,

    /// <summary>mac1 did not verify; nothing was decrypted.</summary>
    InvalidMac1,

    /// <summary>An AEAD field did not authenticate.</summary>
    DecryptionFailed,

    /// <summary>The initiator's static key is not one of our peers.</summary>
    UnknownPeer,

    /// <summary>The initiation timestamp is not greater than the last one accepted from that peer.</summary>
    ReplayedTimestamp,

    /// <summary>Initiations from that peer arrive faster than one per 20 ms.</summary>
    Flood,

    /// <summary>A Diffie-Hellman result was invalid (low-order point).</summary>
    InvalidKey,

    /// <summary>The message's receiver index is not our pending handshake's index.</summary>
    UnexpectedIndex,

    /// <summary>The handshake is not in a state that accepts this message.</summary>
    InvalidState,
}
