namespace HamachiCloud.Api.Contracts.Members;

/// <summary>
/// One device of a member, as the network's members see it. <see cref="Online"/>: the device has a
/// control session now and has not gone offline in this network. <see cref="Os"/> and
/// <see cref="AgentVersion"/> are what its agent reported at its last login (null before any).
/// <see cref="NatType"/>: from its latest NAT report: "endpoint-independent", "symmetric",
/// "udp-blocked", or null when not measured.
/// </summary>
public sealed record MemberDeviceDto(
    Guid DeviceId,
    string Name,
    string VirtualIPv4,
    string VirtualIPv6,
    bool Online,
    DateTimeOffset? LastSeenAt,
    string? Os,
    string? AgentVersion,
    string? NatType,
    HamachiCloud.Protocol.Control.NatReport? Nat = null);
