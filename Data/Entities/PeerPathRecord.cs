namespace HamachiCloud.Data.Entities;

/// <summary>
/// The latest path report of one device towards one peer device (what the agent's
/// <c>PeerPathReport</c> carries, peer resolved to its device), kept in the database so every Api
/// node answers the same and a restart loses nothing. One row per (device, peer); a device's rows
/// are replaced by its next report and go with either device.
/// </summary>
public class PeerPathRecord
{
    public Guid DeviceId { get; set; }
    public Device? Device { get; set; }
    public Guid PeerDeviceId { get; set; }
    public Device? PeerDevice { get; set; }

    /// <summary>"direct", "relay" or "none" (<c>PathKinds</c>).</summary>
    public string Path { get; set; } = "";

    /// <summary>The current destination ("ip:port", or "relay"), null when none.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The candidates tried, as reported ("ip:port kind pings answered|silent"), in order.</summary>
    public List<string> CandidatesTried { get; set; } = [];

    public string? WhyNotDirect { get; set; }

    /// <summary>The disco round-trip time of the current path, if measured.</summary>
    public double? RttMilliseconds { get; set; }

    /// <summary>The relay path runs over the relay's WebSocket (UDP blocked).</summary>
    public bool RelayOverWebSocket { get; set; }

    /// <summary>When the server last received this entry (server clock, UTC).</summary>
    public DateTimeOffset ReportedAt { get; set; }
}
