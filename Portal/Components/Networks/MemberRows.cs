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

    /// <summary>
    /// Whether two versions of a member show the same row (name, status, roles, and each device's
    /// name, addresses, presence, last seen, OS and agent; NAT reports are not in the row). Records
    /// compare their lists by reference, and every live push brings new lists: this compares items.
    /// </summary>
    public static bool SameRow(MemberDto a, MemberDto b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.UserId != b.UserId || a.DisplayName != b.DisplayName || a.Nickname != b.Nickname || a.Role != b.Role
            || a.HubRole != b.HubRole || a.Status != b.Status || a.OverPlanLimit != b.OverPlanLimit)
        {
            return false;
        }

        IReadOnlyList<MemberDeviceDto> x = a.Devices ?? [], y = b.Devices ?? [];
        if (x.Count != y.Count)
        {
            return false;
        }

        for (var i = 0; i < x.Count; i++)
        {
            var (d, e) = (x[i], y[i]);
            if (d.DeviceId != e.DeviceId || d.Name != e.Name || d.VirtualIPv4 != e.VirtualIPv4 || d.VirtualIPv6 != e.VirtualIPv6
                || d.Online != e.Online || d.LastSeenAt != e.LastSeenAt || d.Os != e.Os || d.AgentVersion != e.AgentVersion)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether every device's "Online" / "Last seen 3 h ago" reads the same at <paramref name="before"/> and <paramref name="after"/>.</summary>
    public static bool SamePresenceText(MemberDto member, DateTimeOffset before, DateTimeOffset after)
    {
        foreach (var d in member.Devices ?? [])
        {
            if (!d.Online && d.LastSeenAt is not null && Presence.Text(d, before) != Presence.Text(d, after))
            {
                return false;
            }
        }

        return true;
    }
}
