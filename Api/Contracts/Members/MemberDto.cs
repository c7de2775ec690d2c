namespace HamachiCloud.Api.Contracts.Members;

/// <summary>A membership of a network.</summary>
public sealed record MemberDto(
    Guid UserId,
    string DisplayName,
    string? Nickname,
    MemberRole Role,
    HubRole HubRole,
    MemberStatus Status,
    DateTimeOffset JoinedAt);
