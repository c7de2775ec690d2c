namespace HamachiCloud.Api.Contracts.Members;

/// <summary>
/// A membership of a network. <see cref="Devices"/>: the member's devices taking part in the network
/// (active members only; empty for pending, rejected and evicted rows).
/// </summary>
public sealed record MemberDto(
    Guid UserId,
    string DisplayName,
    string? Nickname,
    MemberRole Role,
    HubRole HubRole,
    MemberStatus Status,
    DateTimeOffset JoinedAt,
    IReadOnlyList<MemberDeviceDto>? Devices = null);
