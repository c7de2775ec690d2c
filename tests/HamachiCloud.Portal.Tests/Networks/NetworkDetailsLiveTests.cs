using Bunit;
using HamachiCloud.Api.Contracts.Live;
using HamachiCloud.Api.Contracts.Members;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Portal.Components.Networks;
using HamachiCloud.Portal.Live;
using HamachiCloud.Portal.Tests.Support;
using HamachiCloud.Protocol.Networks;
using MudBlazor;
using static HamachiCloud.Portal.Tests.Support.Members;

namespace HamachiCloud.Portal.Tests.Networks;

/// <summary>The network page on the live feed: rows and counts change in place from pushes, no REST re-read, Reconnecting bar.</summary>
public sealed class NetworkDetailsLiveTests : PortalTestContext
{
    private static readonly Guid NetworkId = Guid.NewGuid();
    private static readonly Guid BobId = Guid.NewGuid();
    private static readonly Guid BobDevice = Guid.NewGuid();

    private static readonly NetworkDto Network = new(NetworkId, "123-456-789", "office", NetworkType.Mesh, JoinPolicy.Approval, false, false,
        Guid.NewGuid(), "free", 5, 2, MemberRole.Owner, MemberStatus.Active, Members.Joined, 0, 0);

    public NetworkDetailsLiveTests() => Api.Answer($"/api/v1/networks/{NetworkId}", () => Network);

    private static NetworkMembersUpdate Update(bool bobOnline, params MemberDto[] extra) => new(
        NetworkId,
        [Active("alice", MemberRole.Owner), Active("bob", id: BobId, devices: Device("desktop", bobOnline, Now.AddHours(-3), id: BobDevice)), .. extra],
        bobOnline ? 1 : 0,
        extra.Count(m => m.Status == MemberStatus.Pending),
        Now);

    private IRenderedComponent<NetworkDetails> RenderPage()
    {
        Render<MudPopoverProvider>();
        return Render<NetworkDetails>(p => p.Add(d => d.NetworkId, NetworkId));
    }

    [Fact]
    public void The_watch_answers_the_first_list_and_a_push_changes_the_row_in_place()
    {
        Live.Current = Update(bobOnline: false);
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal("false", page.Find($"tr[data-member='{BobId}']").GetAttribute("data-online")));
        Assert.Equal(1, Live.Watches[NetworkId]);
        Assert.DoesNotContain(Api.Requests, r => r.EndsWith("/members", StringComparison.Ordinal)); // the watch answered the list

        var requestsBefore = Api.Requests.Count;
        Live.Push(Update(bobOnline: true));

        page.WaitForAssertion(() =>
        {
            var row = page.Find($"tr[data-member='{BobId}']");
            Assert.Equal("true", row.GetAttribute("data-online"));
            Assert.Contains("Online", row.QuerySelector("[data-testid=member-presence]")!.TextContent);
        });
        Assert.Equal("1 online", page.Find("[data-testid=online-count]").TextContent.Trim());
        Assert.Equal(requestsBefore, Api.Requests.Count); // no reload, no polling
    }

    [Fact]
    public void A_push_renders_again_only_the_row_that_changed()
    {
        var others = Enumerable.Range(0, 40).Select(i => Active($"member {i:00}", devices: Device($"pc {i}", false, Now.AddHours(-2)))).ToArray();
        Live.Current = Update(false, others);
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(42, page.FindAll("tr[data-member]").Count), TimeSpan.FromSeconds(10));
        var rows = page.FindComponents<MemberRow>().ToDictionary(r => r.Instance.Member.UserId);
        var before = rows.ToDictionary(r => r.Key, r => r.Value.RenderCount);

        Clock.Advance(TimeSpan.FromSeconds(20)); // the page's clock moves; "Last seen 2 h ago" reads the same
        Live.Push(Update(true, others)); // new records and lists, equal values except bob
        page.WaitForAssertion(() => Assert.Equal("true", page.Find($"tr[data-member='{BobId}']").GetAttribute("data-online")), TimeSpan.FromSeconds(10));

        var rendered = rows.Where(r => r.Value.RenderCount != before[r.Key]).Select(r => r.Key).ToList();
        Assert.Equal([BobId], rendered);
    }

    [Fact]
    public void Tab_counts_come_from_the_same_update()
    {
        Live.Current = Update(bobOnline: false);
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(["Members (2)", "Join requests"], page.FindAll("[role=tab]").Take(2).Select(t => t.TextContent.Trim())));

        Live.Push(Update(false, Pending("zed"), Pending("yan")));
        page.WaitForAssertion(() =>
        {
            Assert.Equal(["Members (2)", "Join requests (2)"], page.FindAll("[role=tab]").Take(2).Select(t => t.TextContent.Trim()));
            Assert.Equal(["yan", "zed", "alice", "bob"], page.FindAll("tr[data-member]").Select(r => r.GetAttribute("data-name")));
        });
    }

    [Fact]
    public void A_push_for_another_network_changes_nothing()
    {
        Live.Current = Update(bobOnline: false);
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Single(page.FindAll($"tr[data-member='{BobId}']")));
        Live.Push(Update(bobOnline: true) with { NetworkId = Guid.NewGuid() });
        Assert.Equal("false", page.Find($"tr[data-member='{BobId}']").GetAttribute("data-online"));
    }

    [Fact]
    public void Without_the_hub_the_list_comes_over_rest_and_the_page_says_it_is_not_live()
    {
        Live.Current = null;
        Live.SetState(LiveState.Reconnecting);
        Api.Answer($"/api/v1/networks/{NetworkId}/members", () => Update(true).Members);
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal("true", page.Find($"tr[data-member='{BobId}']").GetAttribute("data-online")));
        Assert.Equal("reconnecting", page.Find("[data-testid=live-status]").GetAttribute("data-state"));
        Assert.Contains("Reconnecting", page.Find("[data-testid=live-reconnecting]").TextContent);
    }

    [Fact]
    public void The_reconnecting_bar_shows_the_time_of_the_last_update_and_goes_when_live_again()
    {
        Live.Current = Update(bobOnline: false);
        var page = RenderPage();
        Live.Push(Update(bobOnline: true) with { ChangedAt = Now.AddSeconds(5) });
        Live.SetState(LiveState.Reconnecting);
        page.WaitForAssertion(() => Assert.Contains("Last update 14:00:05 UTC", page.Find("[data-testid=live-reconnecting]").TextContent));

        Live.SetState(LiveState.Live);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=live-reconnecting]")));
        Assert.Equal("live", page.Find("[data-testid=live-status]").GetAttribute("data-state"));
    }

    [Fact]
    public async Task Leaving_the_page_stops_the_watch()
    {
        Live.Current = Update(bobOnline: false);
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Equal(1, Live.Watches[NetworkId]));
        await DisposeComponentsAsync();
        Assert.Equal(0, Live.Watches[NetworkId]);
    }
}
