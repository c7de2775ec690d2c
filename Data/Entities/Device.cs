using System.Net;

namespace HamachiCloud.Data.Entities;

/// <summary>
/// A machine running the agent, enrolled into one account. It keeps one virtual IPv4 from the
/// deployment pool and one IPv6 from the ULA /48 in every network it takes part in.
/// </summary>
public class Device
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }
    public string Name { get; set; } = "";

    /// <summary>Ed25519 public key for control-plane login, 32 bytes as lowercase hex.</summary>
    public string MachineKey { get; set; } = "";

    /// <summary>X25519 public key (WireGuard static key), 32 bytes as lowercase hex.</summary>
    public string NodeKey { get; set; } = "";

    public IPAddress VirtualIPv4 { get; set; } = IPAddress.None;
    public IPAddress VirtualIPv6 { get; set; } = IPAddress.IPv6None;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }
    public DateTimeOffset? KeyExpiresAt { get; set; }

    /// <summary>
    /// The SignalR connection of the device's control session while it is online (null: offline).
    /// Kept through a drop without goodbye until the grace period ends, so peers are not told
    /// "offline" for a short reconnect.
    /// </summary>
    public string? ConnectionId { get; set; }

    /// <summary>Candidate endpoints ("ip:port", space separated): reported local ones plus the one the server observed.</summary>
    public string Endpoints { get; set; } = "";

    /// <summary>The agent's latest NAT report (validated <c>NatReport</c> as JSON, web defaults), null before any.</summary>
    public string? NatReport { get; set; }
}
