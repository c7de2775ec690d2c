namespace HamachiCloud.Agent.Engine.Device;

/// <summary>Device-wide counters for what cannot be charged to a peer.</summary>
public sealed record DeviceStatistics
{
    /// <summary>Datagrams that are no WireGuard message, or too long (dropped, never answered).</summary>
    public long MalformedDatagrams { get; init; }

    /// <summary>Handshake initiations whose mac1 is not keyed with our public key (dropped silently).</summary>
    public long BadMacHandshakes { get; init; }

    /// <summary>Initiations that authenticated mac1 but failed later (unknown peer, bad key, replayed timestamp, flood).</summary>
    public long RejectedHandshakes { get; init; }

    /// <summary>Transport messages, responses or cookie replies for an index we do not hold.</summary>
    public long UnknownIndex { get; init; }

    /// <summary>Outbound packets whose destination no peer's allowed IPs cover, or that are not IP.</summary>
    public long NoRoute { get; init; }

    /// <summary>Cookie replies sent because we were under load.</summary>
    public long CookieRepliesSent { get; init; }

    /// <summary>Broadcast/multicast packets from the TUN dropped by the per-source rate cap.</summary>
    public long RateLimited { get; init; }
}
