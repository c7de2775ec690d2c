namespace HamachiCloud.Api.Contracts.Members;

/// <summary>
/// A membership of a network. <see cref="Devices"/>: the member's devices taking part in the network
/// (active members only; empty for pending, rejected and evicted rows). <see cref="OverPlanLimit"/>: active, but over
/// the network's plan limit after a downgrade or lapse ("inactive: over plan limit"): no tunnels until an upgrade or
/// the owner's choice (PUT /api/v1/networks/{id}/active-members). <see cref="KeepActive"/>: the owner chose this member to stay.
/// </summary>
public sealed record MemberDto(
    Guid UserId,
    string DisplayName,
    string? Nickname,
    MemberRole Role,
    HubRole HubRole,
    MemberStatus Status,
    DateTimeOffset JoinedAt,
    IReadOnlyList<MemberDeviceDto>? Devices = null,
    bool OverPlanLimit = false,
    bool KeepActive = false);
