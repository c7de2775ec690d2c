namespace HamachiCloud.Agent.Engine.Peers;

/// <summary>Why a packet to or from a peer was dropped; each has a counter in <see cref="PeerStatistics"/>.</summary>
public enum DropReason
{
    /// <summary>A handshake message or cookie reply whose mac did not verify.</summary>
    BadMac,

    /// <summary>An authentic transport message whose counter was seen already or is too old.</summary>
    Replay,

    /// <summary>A transport message whose tag did not authenticate, or a handshake message that failed.</summary>
    DecryptFailure,

    /// <summary>A decrypted packet whose source address is not among the peer's allowed IPs.</summary>
    BadSourceAddress,

    /// <summary>An outbound packet that could not be sent: no session and no endpoint, or the staging queue overflowed.</summary>
    NoRoute,

    /// <summary>A broadcast or multicast packet beyond the per-source rate cap.</summary>
    RateLimited,

    /// <summary>A decrypted packet that is not a whole IPv4/IPv6 packet.</summary>
    Malformed,
}
