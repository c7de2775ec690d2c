using System.Net;

namespace HamachiCloud.Data.Entities;

/// <summary>
/// A machine running the agent, enrolled into one account. It keeps one virtual IPv4 from the
/// deployment pool and one IPv6 from the ULA /48 in every network it takes part in.
/// </summary>
public class Device
{
    public const int MaxOsLength = 128;
    public const int MaxAgentVersionLength = 64;

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

    /// <summary>
    /// The device's owner accepts public-prefix gateway routes (like Tailscale's --accept-routes):
    /// off by default, set from the agent (<c>hamachi set --accept-routes</c>) or the Portal.
    /// Private and ULA routes need no acceptance.
    /// </summary>
    public bool AcceptPublicRoutes { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }
    public DateTimeOffset? KeyExpiresAt { get; set; }

    /// <summary>
    /// The OAuth authorization (the <c>hamachi login</c> device-flow sign-in) whose token enrolled this device,
    /// null when a setup key, a personal API token or the Portal's session did. Removing the device revokes
    /// that authorization and its tokens: the CLI's stored refresh token dies with the device.
    /// </summary>
    public Guid? AuthorizationId { get; set; }

    /// <summary>
    /// The SignalR connection of the device's control session while it is online (null: offline).
    /// Kept through a drop without goodbye until the grace period ends, so peers are not told
    /// "offline" for a short reconnect.
    /// </summary>
    public string? ConnectionId { get; set; }

    /// <summary>The Api node holding <see cref="ConnectionId"/> (see <see cref="ApiNode"/>): if that node stops heartbeating, another node treats the session as lost.</summary>
    public Guid? ConnectionNodeId { get; set; }

    /// <summary>Candidate endpoints ("ip:port", space separated): reported local ones plus the one the server observed.</summary>
    public string Endpoints { get; set; } = "";

    /// <summary>The agent's latest NAT report (validated <c>NatReport</c> as JSON, web defaults), null before any.</summary>
    public string? NatReport { get; set; }

    /// <summary>The agent's operating system as it reported it at login ("Linux 6.1 (Debian GNU/Linux 12)"), sanitized; null before any.</summary>
    public string? Os { get; set; }

    /// <summary>The agent's version as it reported it at login, sanitized; null before any.</summary>
    public string? AgentVersion { get; set; }
}
