namespace HamachiCloud.Protocol.WireGuard;

/// <summary>
/// WireGuard's per-peer timer rules (whitepaper §6) as pure decisions over an explicit <c>now</c>; the
/// same deadlines wireguard-go keeps in its timers.go, without any real timer:
/// <list type="bullet">
/// <item>keepalive: data received and nothing sent for KEEPALIVE_TIMEOUT (10 s) → send a keepalive;</item>
/// <item>new handshake: data sent and nothing received for KEEPALIVE_TIMEOUT + REKEY_TIMEOUT (15 s);</item>
/// <item>rekey: the initiator sends data on a session older than REKEY_AFTER_TIME (120 s), or receives
/// data on one older than REJECT_AFTER_TIME − KEEPALIVE_TIMEOUT − REKEY_TIMEOUT (165 s);</item>
/// <item>retry: no response REKEY_TIMEOUT (5 s) + jitter (≤ 333 ms) after an initiation;</item>
/// <item>give up: attempts have lasted REKEY_ATTEMPT_TIME (90 s);</item>
/// <item>reject: a session is unusable from REJECT_AFTER_TIME (180 s); keys are zeroed at 3 × that.</item>
/// </list>
/// The loop calls <see cref="Decide"/>, performs the action, and reports what it did through the On…
/// methods. Not thread-safe; owned by the peer's timer stage.
/// </summary>
public sealed class PeerTimers
{
    private static readonly TimeSpan NewHandshakeTimeout = WireGuardLimits.KeepaliveTimeout + WireGuardLimits.RekeyTimeout;
    private static readonly TimeSpan RekeyOnReceiveAge = WireGuardLimits.RejectAfterTime - WireGuardLimits.KeepaliveTimeout - WireGuardLimits.RekeyTimeout;
    private static readonly TimeSpan ZeroKeysAfter = WireGuardLimits.RejectAfterTime * 3;

    private readonly TimeSpan? _persistentKeepalive;
    private DateTimeOffset? _sessionStartedAt;
    private bool _sessionIsInitiator;
    private DateTimeOffset? _keepaliveDue;
    private DateTimeOffset? _persistentKeepaliveDue;
    private DateTimeOffset? _newHandshakeDue;
    private DateTimeOffset? _retransmitDue;
    private DateTimeOffset? _attemptsStartedAt;
    private DateTimeOffset? _zeroKeysDue;
    private DateTimeOffset? _lastDataSentAt;
    private DateTimeOffset? _lastDataReceivedAt;

    /// <summary>Timers for one peer, with an optional persistent keepalive interval (for NAT mappings).</summary>
    public PeerTimers(TimeSpan? persistentKeepalive = null)
    {
        if (persistentKeepalive is { } interval && interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(persistentKeepalive), interval, "persistent keepalive must be positive or null");
        }

        _persistentKeepalive = persistentKeepalive;
    }

    /// <summary>True between an initiation being sent and the handshake completing or being given up.</summary>
    public bool HandshakeInProgress => _retransmitDue is not null;

    /// <summary>When the current session was derived, if there is one.</summary>
    public DateTimeOffset? SessionStartedAt => _sessionStartedAt;

    /// <summary>True while the current session may still send and receive (younger than REJECT_AFTER_TIME).</summary>
    public bool CanUseSession(DateTimeOffset now) => _sessionStartedAt is { } started && now - started < WireGuardLimits.RejectAfterTime;

    /// <summary>A data (non-keepalive) transport message was sent.</summary>
    public void OnDataSent(DateTimeOffset now)
    {
        OnAuthenticatedPacketSent(now);
        _newHandshakeDue ??= now + NewHandshakeTimeout;
        _lastDataSentAt = now;
    }

    /// <summary>A keepalive was sent.</summary>
    public void OnKeepaliveSent(DateTimeOffset now) => OnAuthenticatedPacketSent(now);

    /// <summary>A data (non-keepalive) transport message was received and authenticated.</summary>
    public void OnDataReceived(DateTimeOffset now)
    {
        OnAuthenticatedPacketReceived(now);
        _keepaliveDue ??= now + WireGuardLimits.KeepaliveTimeout;
        _lastDataReceivedAt = now;
    }

    /// <summary>A keepalive was received and authenticated.</summary>
    public void OnKeepaliveReceived(DateTimeOffset now) => OnAuthenticatedPacketReceived(now);

    /// <summary>An initiation was sent; <paramref name="jitter"/> (0..333 ms, from the caller's RNG) delays the retry.</summary>
    public void OnHandshakeInitiationSent(DateTimeOffset now, TimeSpan jitter)
    {
        if (jitter < TimeSpan.Zero || jitter > WireGuardLimits.MaxRekeyJitter)
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "rekey jitter must be within 0..333 ms");
        }

        OnAuthenticatedPacketSent(now);
        _attemptsStartedAt ??= now;
        _retransmitDue = now + WireGuardLimits.RekeyTimeout + jitter;
    }

    /// <summary>A session was derived: as initiator after the response, as responder after sending it.</summary>
    public void OnHandshakeComplete(DateTimeOffset now, bool isInitiator)
    {
        _sessionStartedAt = now;
        _sessionIsInitiator = isInitiator;
        _retransmitDue = null;
        _attemptsStartedAt = null;
        _zeroKeysDue = now + ZeroKeysAfter;
        _lastDataSentAt = null;
        _lastDataReceivedAt = null;
    }

    /// <summary>The loop gave up after REKEY_ATTEMPT_TIME; keys will be zeroed later unless a session appears.</summary>
    public void OnHandshakeGivenUp(DateTimeOffset now)
    {
        _retransmitDue = null;
        _attemptsStartedAt = null;
        _newHandshakeDue = null;
        _lastDataSentAt = null;
        _lastDataReceivedAt = null;
        _zeroKeysDue ??= now + ZeroKeysAfter;
    }

    /// <summary>All session keys were erased.</summary>
    public void OnKeysZeroed()
    {
        _sessionStartedAt = null;
        _zeroKeysDue = null;
        _keepaliveDue = null;
        _newHandshakeDue = null;
        _lastDataSentAt = null;
        _lastDataReceivedAt = null;
    }

    /// <summary>The most urgent due action at <paramref name="now"/>; changes nothing.</summary>
    public TimerAction Decide(DateTimeOffset now)
    {
        if (_zeroKeysDue <= now)
        {
            return TimerAction.ZeroKeys;
        }

        if (_retransmitDue <= now)
        {
            return now - _attemptsStartedAt >= WireGuardLimits.RekeyAttemptTime ? TimerAction.GiveUpHandshake : TimerAction.RetryHandshake;
        }

        if (!HandshakeInProgress && NeedsNewHandshake(now))
        {
            return TimerAction.InitiateHandshake;
        }

        return _keepaliveDue <= now || _persistentKeepaliveDue <= now ? TimerAction.SendKeepalive : TimerAction.None;
    }

    private bool NeedsNewHandshake(DateTimeOffset now)
    {
        if (_newHandshakeDue <= now)
        {
            return true;
        }

        if (_sessionStartedAt is not { } started || !_sessionIsInitiator)
        {
            return false;
        }

        return _lastDataSentAt - started >= WireGuardLimits.RekeyAfterTime || _lastDataReceivedAt - started >= RekeyOnReceiveAge;
    }

    private void OnAuthenticatedPacketSent(DateTimeOffset now)
    {
        _keepaliveDue = null;
        _persistentKeepaliveDue = now + _persistentKeepalive;
    }

    private void OnAuthenticatedPacketReceived(DateTimeOffset now)
    {
        _newHandshakeDue = null;
        _persistentKeepaliveDue = now + _persistentKeepalive;
    }
}
