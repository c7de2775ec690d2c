using Bunit;
using HamachiCloud.Api.Contracts.Members;
using HamachiCloud.Portal.Components.Networks;
using HamachiCloud.Portal.Tests.Support;
using HamachiCloud.Protocol.Networks;
using static HamachiCloud.Portal.Tests.Support.Members;

namespace HamachiCloud.Portal.Tests.Networks;

/// <summary>The member table's states: empty, pending at the top with Approve / Reject, online vs last seen, device columns.</summary>
public sealed class MemberTableTests : PortalTestContext
{
    private IRenderedComponent<MemberTable> Render(IReadOnlyList<MemberDto> members, MemberRole myRole = MemberRole.Owner, bool hubRole = false) =>
        Render<MemberTable>(p => p
            .Add(t => t.Members, members)
            .Add(t => t.Now, Now)
            .Add(t => t.MyRole, myRole)
            .Add(t => t.ShowHubRole, hubRole));

    [Fact]
    public void No_members_shows_the_empty_state_not_a_table()
    {
        var table = Render([]);
        Assert.Contains("No members yet", table.Find("[data-testid=members-empty]").TextContent);
        Assert.Empty(table.FindAll("table"));
    }

    [Fact]
    public void A_member_over_the_plan_limit_is_marked_inactive_and_the_row_follows_an_upgrade()
    {
        var aside = Active("carol") with { OverPlanLimit = true };
        var table = Render([Active("alice", MemberRole.Owner), Active("bob"), aside]);

        var row = table.Find($"tr[data-member='{aside.UserId}']");
        Assert.Equal("true", row.GetAttribute("data-over-limit"));
        Assert.Contains("Inactive: over plan limit", row.TextContent);
        Assert.All(table.FindAll("tr[data-member]").Where(r => r.GetAttribute("data-name") != "carol"), r => Assert.Equal("false", r.GetAttribute("data-over-limit")));

        table.Render(p => p.Add(t => t.Members, [Active("alice", MemberRole.Owner), Active("bob"), aside with { OverPlanLimit = false }]));
        Assert.Equal("false", table.Find($"tr[data-member='{aside.UserId}']").GetAttribute("data-over-limit"));
        Assert.DoesNotContain("over plan limit", table.Find($"tr[data-member='{aside.UserId}']").TextContent);
    }

    [Fact]
    public void Pending_joins_come_first_with_approve_and_reject_for_managers()
    {
        var pending = Pending("zed");
        var approved = new List<MemberDto>();
        var rejected = new List<MemberDto>();
        var table = Render<MemberTable>(p => p
            .Add(t => t.Members, [Active("alice", MemberRole.Owner), Active("bob"), pending])
            .Add(t => t.Now, Now)
            .Add(t => t.MyRole, MemberRole.Owner)
            .Add(t => t.OnApprove, m => approved.Add(m))
            .Add(t => t.OnReject, m => rejected.Add(m)));

        var rows = table.FindAll("tr[data-member]");
        Assert.Equal(["zed", "alice", "bob"], rows.Select(r => r.GetAttribute("data-name")));
        Assert.Equal("pending", rows[0].GetAttribute("data-status"));
        Assert.Contains("Pending approval", rows[0].TextContent);

        table.Find("button[aria-label='Approve zed']").Click();
        table.Find("button[aria-label='Reject zed']").Click();
        Assert.Equal([pending.UserId], approved.Select(m => m.UserId));
        Assert.Equal([pending.UserId], rejected.Select(m => m.UserId));
    }

    [Fact]
    public void Members_see_pending_rows_without_the_buttons()
    {
        var table = Render([Pending("zed")], MemberRole.Member);
        Assert.Empty(table.FindAll("button[aria-label='Approve zed']"));
    }

    [Fact]
    public void An_online_device_says_online_and_an_offline_one_last_seen_never_both()
    {
        var on = Active("alice", id: Guid.NewGuid(), devices: Device("laptop", online: true, lastSeen: Now.AddMinutes(-1)));
        var off = Active("bob", devices: Device("desktop", online: false, lastSeen: Now.AddHours(-3)));
        var never = Active("carol");
        var table = Render([on, off, never]);

        var alice = table.Find($"tr[data-member='{on.UserId}']");
        Assert.Equal("true", alice.GetAttribute("data-online"));
        var alicePresence = alice.QuerySelector("[data-testid=member-presence]")!.TextContent;
        Assert.Contains("Online", alicePresence);
        Assert.DoesNotContain("Last seen", alicePresence);

        var bob = table.Find($"tr[data-member='{off.UserId}']");
        Assert.Equal("false", bob.GetAttribute("data-online"));
        var bobPresence = bob.QuerySelector("[data-testid=member-presence] span")!;
        Assert.Equal("Last seen 3 h ago", bobPresence.TextContent.Trim());
        Assert.Equal("Last seen 2025-05-12 11:00 UTC", bobPresence.GetAttribute("title"));
        Assert.DoesNotContain("Online", bob.TextContent);

        Assert.Contains("Never connected", table.Find($"tr[data-member='{never.UserId}']").TextContent);
        Assert.Contains("No device yet", table.Find($"tr[data-member='{never.UserId}']").TextContent);
    }

    [Fact]
    public void Device_columns_show_name_address_software_role_and_hub_role()
    {
        var device = Device("laptop", online: true);
        var member = Active("Alice Doe", MemberRole.Admin, HubRole.Hub, nickname: "ali", devices: device);
        var row = Render([member], hubRole: true).Find($"tr[data-member='{member.UserId}']");

        Assert.Equal("ali", row.GetAttribute("data-name"));
        Assert.Contains("Alice Doe", row.QuerySelector("td[data-label=Name]")!.TextContent); // display name under the nickname
        var deviceCell = row.QuerySelector($"td[data-label=Device] [data-device='{device.DeviceId}']")!;
        Assert.Equal(("true", "laptop"), (deviceCell.GetAttribute("data-online"), deviceCell.TextContent.Trim()));
        var ip = row.QuerySelector("td[data-label='Virtual IP'] span")!;
        Assert.Equal(("25.0.0.7", "IPv6 fd25::7"), (ip.TextContent.Trim(), ip.GetAttribute("title")));
        Assert.Equal("Debian 13 · agent 1.4.0", row.QuerySelector("td[data-label='OS and agent']")!.TextContent.Trim());
        Assert.Equal("Admin", row.QuerySelector("td[data-label=Role]")!.TextContent.Trim());
        Assert.Equal("Hub", row.QuerySelector("td[data-label='Hub role']")!.TextContent.Trim());
    }

    [Fact]
    public void The_hub_role_column_is_only_for_hub_and_spoke_and_gateway()
    {
        var table = Render([Active("alice")]);
        Assert.Empty(table.FindAll("td[data-label='Hub role']"));
    }

    [Fact]
    public void A_row_whose_presence_changed_is_highlighted_once()
    {
        var id = Guid.NewGuid();
        var deviceId = Guid.NewGuid();
        var table = Render([Active("alice", id: id, devices: Device("laptop", false, Now.AddHours(-1), id: deviceId))]);
        Assert.DoesNotContain("hc-row-changed", table.Find("tr[data-member]").ClassName ?? "");

        table.Render(p => p.Add(t => t.Members, [Active("alice", id: id, devices: Device("laptop", true, Now, id: deviceId))]));
        var row = table.Find("tr[data-member]");
        Assert.Equal("true", row.GetAttribute("data-online"));
        Assert.Contains("hc-row-changed", row.ClassName);
    }
}
