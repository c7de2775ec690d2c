namespace HamachiCloud.Protocol.WireGuard;

/// <summary>
/// WireGuard's protocol constants (whitepaper §6.1), the same values as wireguard-go and the Linux module.
/// Changing any of them breaks interoperability or security assumptions.
/// </summary>
public static class WireGuardLimits
{
    /// <summary>After this many messages on a session the initiator starts a new handshake (2^60).</summary>
    public const ulong RekeyAfterMessages = 1UL << 60;

    /// <summary>No message is sent or accepted with a counter at or beyond this (2^64 - 2^13 - 1).</summary>
    public const ulong RejectAfterMessages = ulong.MaxValue - (1UL << 13);

    /// <summary>Number of counters behind the newest one that the replay window still accepts.</summary>
    public const int ReplayWindowSize = 8128;

    /// <summary>The initiator of a session rekeys when sending on a session this old.</summary>
    public static readonly TimeSpan RekeyAfterTime = TimeSpan.FromSeconds(120);

    /// <summary>A session this old is never used to send or receive.</summary>
    public static readonly TimeSpan RejectAfterTime = TimeSpan.FromSeconds(180);

    /// <summary>Handshake attempts stop after this long without an answer.</summary>
    public static readonly TimeSpan RekeyAttemptTime = TimeSpan.FromSeconds(90);

    /// <summary>A handshake initiation without a response is retried after this (plus jitter).</summary>
    public static readonly TimeSpan RekeyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The upper bound of the random jitter added to <see cref="RekeyTimeout"/>.</summary>
    public static readonly TimeSpan MaxRekeyJitter = TimeSpan.FromMilliseconds(333);

    /// <summary>After receiving data and sending nothing for this long, send a keepalive.</summary>
    public static readonly TimeSpan KeepaliveTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The responder-side cookie secret changes after this; an initiator's cookie expires after it.</summary>
    public static readonly TimeSpan CookieRefreshTime = TimeSpan.FromSeconds(120);
}
