namespace HamachiCloud.Api.Contracts.Networks;

/// <summary>
/// A network as one of its members (or a would-be member) sees it. <see cref="OnlineCount"/>: active
/// members with at least one device online in the network; <see cref="PendingCount"/>: join requests
/// waiting for approval, for the network's owner and admins only (null for everyone else).
/// <see cref="AllowPublicRoutes"/>: a gateway network whose owner lets it carry public routes.
/// <see cref="PremiumFeatures"/>: the plan in force allows gateway networks and routes. <see cref="OverLimitCount"/>: active members set aside because the
/// plan allows fewer members than the network has ("inactive: over plan limit"; the owner chooses who stays).
/// </summary>
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
    DateTimeOffset CreatedAt,
    int? OnlineCount = null,
    int? PendingCount = null,
    bool AllowPublicRoutes = false,
    bool PremiumFeatures = false,
    int OverLimitCount = 0);
