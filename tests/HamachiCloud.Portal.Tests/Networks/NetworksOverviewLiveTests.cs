using Bunit;
using HamachiCloud.Api.Contracts.Live;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Portal.Components.Networks;
using HamachiCloud.Portal.Tests.Support;
using HamachiCloud.Protocol.Networks;
using MudBlazor;

namespace HamachiCloud.Portal.Tests.Networks;

/// <summary>The networks list: online count and pending badge, read again on NetworksChanged.</summary>
public sealed class NetworksOverviewLiveTests : PortalTestContext
{
    private static NetworkDto Network(string name, int online, int? pending) => new(Guid.NewGuid(), "123-456-789", name, NetworkType.Mesh,
        JoinPolicy.Approval, false, false, Guid.NewGuid(), "free", 32, 11, MemberRole.Owner, MemberStatus.Active, Members.Joined, online, pending);

    [Fact]
    public void Shows_online_and_pending_and_reads_again_on_networks_changed()
    {
        var networks = new List<NetworkDto> { Network("office", 3, 2) };
        Api.Answer("/api/v1/networks", () => networks);
        Render<MudPopoverProvider>();
        var page = Render<NetworksOverview>();

        page.WaitForAssertion(() => Assert.Equal("3 online", page.Find("[data-testid=network-online]").TextContent.Trim()));
        Assert.Equal("2 waiting", page.Find("[data-testid=pending-badge]").TextContent.Trim());

        networks = [Network("office", 3, null), Network("lab", 0, null)];
        Live.PushNetworks();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=network-online]").Count));
        Assert.Empty(page.FindAll("[data-testid=pending-badge]"));
    }

    [Fact]
    public void The_online_count_follows_presence_in_place_without_a_read()
    {
        var office = Network("office", 0, null);
        var lab = Network("lab", 2, null);
        Api.Answer("/api/v1/networks", () => new List<NetworkDto> { office, lab });
        Render<MudPopoverProvider>();
        var page = Render<NetworksOverview>();
        page.WaitForAssertion(() => Assert.Equal(["2 online", "0 online"], OnlineCounts(page)));
        var requests = Api.Requests.Count;

        Live.PushCounts(new NetworkCountsUpdate(office.Id, 12, 1));
        page.WaitForAssertion(() => Assert.Equal(["2 online", "1 online"], OnlineCounts(page))); // sorted by name: lab, office
        Assert.Contains("12/32", page.FindAll("tbody tr")[1].TextContent);

        Live.PushCounts(new NetworkCountsUpdate(Guid.NewGuid(), 3, 3)); // not in my list: nothing changes
        Live.PushCounts(new NetworkCountsUpdate(lab.Id, 11, 0));
        page.WaitForAssertion(() => Assert.Equal(["0 online", "1 online"], OnlineCounts(page)));
        Assert.Equal(requests, Api.Requests.Count); // no read, no polling
    }

    private static List<string> OnlineCounts(IRenderedComponent<NetworksOverview> page) =>
        page.FindAll("[data-testid=network-online]").Select(e => e.TextContent.Trim()).ToList();
}
