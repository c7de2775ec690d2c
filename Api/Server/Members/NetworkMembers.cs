using HamachiCloud.Api.Contracts.Members;

namespace HamachiCloud.Api.Members;

/// <summary>
/// One network's full member list (every status, as its managers see it) with its devices and
/// counts, loaded by <see cref="MemberListLoader"/>. <see cref="ViewFor"/> cuts it to what a caller may see.
/// </summary>
internal sealed record NetworkMembers(Guid NetworkId, IReadOnlyList<MemberDto> All, int OnlineCount, int PendingCount)
{
    /// <summary>Active rows for everyone; managers also see pending, rejected and evicted ones.</summary>
    public IReadOnlyList<MemberDto> ViewFor(bool manager) =>
        manager ? All : All.Where(m => m.Status == MemberStatus.Active).ToList();

    /// <summary>The user's active membership role, or null when the user is not an active member.</summary>
    public MemberRole? ActiveRole(Guid userId) =>
        All.FirstOrDefault(m => m.UserId == userId && m.Status == MemberStatus.Active)?.Role;

    /// <summary>Active members (<c>NetworkDto.MemberCount</c>).</summary>
    public int ActiveCount => All.Count(m => m.Status == MemberStatus.Active);

    public static bool IsManager(MemberRole? role) => role is MemberRole.Owner or MemberRole.Admin;
}
