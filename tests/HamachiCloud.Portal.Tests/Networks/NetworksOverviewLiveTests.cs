using Bunit;
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
}
