namespace HamachiCloud.Relay.Core;

/// <summary>Why a datagram was refused or dropped; each has a counter (snake_case names in <c>/counters</c>).</summary>
public enum RelayDropReason
{
    None = 0,

    /// <summary>Send from an address without a live binding to that target (also: a token for another pair).</summary>
    NoBinding,

    /// <summary>The target has no live binding back to the sender.</summary>
    TargetNotBound,

    /// <summary>Bind with an expired token.</summary>
    Expired,

    /// <summary>Bind with a token whose signature does not verify with the server identity key.</summary>
    BadSignature,

    /// <summary>Bind with a token for another relay.</summary>
    WrongRelay,

    /// <summary>Source address inside a banned IP range.</summary>
    Banned,

    /// <summary>Not a well-formed relay frame (or a relay→agent type sent to the relay).</summary>
    Malformed,

    /// <summary>Over the token's bandwidth (token bucket empty).</summary>
    RateLimited,

    /// <summary>Bind before the relay has learnt the server identity key (fail closed).</summary>
    NoServerKey,

    /// <summary>The bindings table is full.</summary>
    TableFull,

    /// <summary>
    /// A relay frame on an alternate STUN socket: relay frames are served on the primary socket only (the address
    /// agents get from the Api), so a binding always answers from the address/port the agent's NAT mapped to.
    /// </summary>
    NotRelaySocket,

    /// <summary>BindProof whose cookie this relay did not issue to that source and pair (forged, or replayed from another address or connection).</summary>
    BadCookie,

    /// <summary>BindProof whose cookie is older than its lifetime, or older than the proof that last moved the binding.</summary>
    ExpiredCookie,

    /// <summary>BindProof with a valid cookie whose proof does not show possession of the token's fromNodeKey.</summary>
    BadProof,

    /// <summary>A Bind or BindProof over the source address's handshake budget (<c>Relay:HandshakesPerSecondPerAddress</c>).</summary>
    HandshakeRateLimited,
}
