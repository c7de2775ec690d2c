namespace HamachiCloud.Protocol.WireGuard;

/// <summary>What the receive loop does with a handshake message after the mac checks.</summary>
public enum MacVerdict
{
    /// <summary>mac1 is wrong: drop silently without any further work.</summary>
    Drop,

    /// <summary>Under load and mac2 is missing or stale: answer with a cookie reply, do not process.</summary>
    SendCookieReply,

    /// <summary>Process the message.</summary>
    Process,
}
