using Bunit;
using HamachiCloud.Api.Contracts.Members;
using HamachiCloud.Portal.Components.Networks;
using HamachiCloud.Portal.Tests.Support;
using HamachiCloud.Protocol.Networks;
using static HamachiCloud.Portal.Tests.Support.Members;

namespace HamachiCloud.Portal.Tests.Networks;

/// <summary>The downgrade chooser: the notice for everyone, the choice for the owner only, never more than the limit.</summary>
public sealed class ActiveMembersChooserTests : PortalTestContext
{
    private static readonly List<MemberDto> Eight =
    [
        Active("owner", MemberRole.Owner),
        .. Enumerable.Range(1, 7).Select(i => Active($"m{i}") with { JoinedAt = Joined.AddDays(i), OverPlanLimit = i > 4 }),
    ];

    private IRenderedComponent<ActiveMembersChooser> Render(MemberRole role) =>
        Render<ActiveMembersChooser>(p => p
            .Add(c => c.NetworkId, Guid.NewGuid())
            .Add(c => c.Members, Eight)
            .Add(c => c.Limit, 5)
            .Add(c => c.Plan, "Free")
            .Add(c => c.MyRole, role));

    [Fact]
    public void The_owner_starts_from_who_is_active_now_and_cannot_choose_more_than_the_limit()
    {
        var chooser = Render(MemberRole.Owner);

        Assert.Contains("The Free plan allows 5 members and this network has 8: 3 members are inactive", Text(chooser.Find("[data-testid=over-limit-notice]").TextContent));
        Assert.Contains("5 of 5 chosen", Text(chooser.Find("[data-testid=active-members-chooser]").TextContent));
        bool Checked(MemberDto m) => chooser.Find($"[data-member='{m.UserId}'] input").HasAttribute("checked");
        bool Disabled(MemberDto m) => chooser.Find($"[data-member='{m.UserId}'] input").HasAttribute("disabled");
        Assert.Equal([true, true, true, true, true, false, false, false], Eight.Select(Checked));
        Assert.True(Disabled(Eight[0])); // the owner always stays
        Assert.All(Eight.Skip(5), m => Assert.True(Disabled(m))); // no seat left
        Assert.All(Eight.Skip(1).Take(4), m => Assert.False(Disabled(m)));

        chooser.Find($"[data-member='{Eight[1].UserId}'] input").Change(false);
        Assert.Contains("4 of 5 chosen", Text(chooser.Find("[data-testid=active-members-chooser]").TextContent));
        Assert.All(Eight.Skip(5), m => Assert.False(Disabled(m))); // a seat is free again
    }

    private static string Text(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    [Fact]
    public void Other_members_see_the_notice_but_no_choice()
    {
        var chooser = Render(MemberRole.Admin);

        Assert.Contains("3 members are", Text(chooser.Find("[data-testid=over-limit-notice]").TextContent));
        Assert.DoesNotContain("you choose", Text(chooser.Find("[data-testid=over-limit-notice]").TextContent));
        Assert.Empty(chooser.FindAll("[data-testid=active-members-chooser]"));
    }
}
