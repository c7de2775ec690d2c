using HamachiCloud.Api.Contracts.Members;

namespace HamachiCloud.Api.Contracts.Live;

/// <summary>
/// A network's member list as the receiving user may see it (the same rows and shape as
/// GET /api/v1/networks/{id}/members: managers also get pending, rejected and evicted rows).
/// <see cref="PendingCount"/> is null for non-managers. <see cref="ChangedAt"/>: server time of the tick.
/// </summary>
public sealed record NetworkMembersUpdate(
    Guid NetworkId,
    IReadOnlyList<MemberDto> Members,
    int OnlineCount,
    int? PendingCount,
    DateTimeOffset ChangedAt);
