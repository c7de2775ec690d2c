namespace HamachiCloud.Api.Contracts.Devices;

/// <summary>
/// An enrolled device. Keys are public keys, lowercase hex. <see cref="Nat"/>: the agent's latest NAT report.
/// <see cref="Online"/>: its agent holds a control session now (then <see cref="LastSeenAt"/> is not shown).
/// <see cref="AcceptPublicRoutes"/>: its map may carry public gateway routes (off by default).
/// </summary>
public sealed record DeviceDto(
    Guid Id,
    string Name,
    string VirtualIPv4,
    string VirtualIPv6,
    string NodeKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSeenAt,
    DateTimeOffset? KeyExpiresAt,
    HamachiCloud.Protocol.Control.NatReport? Nat = null,
    bool Online = false,
    bool AcceptPublicRoutes = false);
