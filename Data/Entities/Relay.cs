namespace HamachiCloud.Data.Entities;

/// <summary>
/// A relay that registered through its heartbeat (<c>POST /api/v1/relays/heartbeat</c>). Live while
/// <see cref="LastSeenAt"/> is recent (<c>Relays:LiveSeconds</c>); only live relays get tokens and appear in maps.
/// </summary>
public class Relay
{
    /// <summary>The relay's own id (its <c>Relay:Id</c>), named in every relay token.</summary>
    public Guid Id { get; set; }

    public string Name { get; set; } = "";
    public string Region { get; set; } = "";

    /// <summary>UDP relay endpoints "ip:port", space-separated.</summary>
    public string UdpEndpoints { get; set; } = "";

    /// <summary>STUN endpoints (up to two addresses × two ports), space-separated.</summary>
    public string StunEndpoints { get; set; } = "";

    /// <summary>ws:// or wss:// URL of the TCP fallback, or null.</summary>
    public string? WebSocketUrl { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
}
