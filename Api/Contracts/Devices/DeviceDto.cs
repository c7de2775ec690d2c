namespace HamachiCloud.Api.Contracts.Devices;

/// <summary>An enrolled device. Keys are public keys, lowercase hex. <see cref="Nat"/>: the agent's latest NAT report.</summary>
public sealed record DeviceDto(
    Guid Id,
    string Name,
    string VirtualIPv4,
    string VirtualIPv6,
    string NodeKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSeenAt,
    DateTimeOffset? KeyExpiresAt,
    HamachiCloud.Protocol.Control.NatReport? Nat = null);
