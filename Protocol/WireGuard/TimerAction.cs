namespace HamachiCloud.Protocol.WireGuard;

/// <summary>What a peer's timer loop should do now, as decided by <see cref="PeerTimers.Decide"/>.</summary>
public enum TimerAction
{
    /// <summary>Nothing is due.</summary>
    None,

    /// <summary>Send an empty transport message (then call <see cref="PeerTimers.OnKeepaliveSent"/>).</summary>
    SendKeepalive,

    /// <summary>Start a new handshake (then call <see cref="PeerTimers.OnHandshakeInitiationSent"/>).</summary>
    InitiateHandshake,

    /// <summary>The last initiation went unanswered for REKEY_TIMEOUT + jitter: send a fresh one.</summary>
    RetryHandshake,

    /// <summary>Attempts lasted REKEY_ATTEMPT_TIME: stop, drop queued packets, call <see cref="PeerTimers.OnHandshakeGivenUp"/>.</summary>
    GiveUpHandshake,

    /// <summary>No new session for 3 × REJECT_AFTER_TIME: erase all session keys, call <see cref="PeerTimers.OnKeysZeroed"/>.</summary>
    ZeroKeys,
}
