using HamachiCloud.Api.Contracts.Members;
using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Portal.Components.Networks;

/// <summary>How the member table orders and filters rows (pure; the table only renders).</summary>
public static class MemberRows
{
    /// <summary>Pending joins first (they need a decision), then active by role and name; rejected and evicted last.</summary>
    public static IReadOnlyList<MemberDto> Order(IEnumerable<MemberDto> members) =>
        members
            .OrderBy(m => m.Status switch
            {
                MemberStatus.Pending => 0,
                MemberStatus.Active => 1,
                _ => 2,
            })
            .ThenByDescending(m => m.Role)
            .ThenBy(m => Name(m), StringComparer.OrdinalIgnoreCase)
            .ToList();

    /// <summary>The nickname when set, else the display name.</summary>
    public static string Name(MemberDto member) =>
        string.IsNullOrWhiteSpace(member.Nickname) ? member.DisplayName : member.Nickname;

    /// <summary>Whether a manager with <paramref name="myRole"/> may evict or change the role of <paramref name="member"/>.</summary>
    public static bool CanActOn(MemberRole? myRole, MemberDto member, Guid? myUserId) =>
        NetworkDisplay.CanManage(myRole) && member.Role != MemberRole.Owner && member.UserId != myUserId
        && (myRole == MemberRole.Owner || member.Role != MemberRole.Admin);
}
