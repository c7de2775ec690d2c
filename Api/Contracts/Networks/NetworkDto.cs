namespace HamachiCloud.Api.Contracts.Networks;

/// <summary>A network as one of its members (or a would-be member) sees it.</summary>
public sealed record NetworkDto(
    Guid Id,
    string NetworkId,
    string Name,
    NetworkType Type,
    JoinPolicy JoinPolicy,
    bool HasPassword,
    bool Locked,
    Guid OwnerId,
    string Plan,
    int MemberLimit,
    int MemberCount,
    MemberRole? MyRole,
    MemberStatus? MyStatus,
    DateTimeOffset CreatedAt);
