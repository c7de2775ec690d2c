namespace HamachiCloud.Protocol.WireGuard;

/// <summary>The outcome of <see cref="TransportSession.Open"/>; everything but <see cref="Opened"/> is a drop.</summary>
public enum TransportOpenStatus
{
    /// <summary>Authentic and new: the plaintext was written and the replay window moved.</summary>
    Opened,

    /// <summary>Not a transport message, a receiver index of another session, or the output is too small.</summary>
    Malformed,

    /// <summary>The session is older than REJECT_AFTER_TIME, or the counter is at or beyond REJECT_AFTER_MESSAGES.</summary>
    Expired,

    /// <summary>The tag did not authenticate (tampered, or not for this session); the replay window was not touched.</summary>
    DecryptionFailed,

    /// <summary>Authentic, but the counter was seen already or is older than the window; nothing changed.</summary>
    Replayed,
}
