using Bunit;
using HamachiCloud.Api.Contracts.Live;
using HamachiCloud.Api.Contracts.Members;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Portal.Components.Networks;
using HamachiCloud.Portal.Tests.Support;
using HamachiCloud.Protocol.Networks;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using static HamachiCloud.Portal.Tests.Support.Members;

namespace HamachiCloud.Portal.Tests.Networks;

/// <summary>
/// Prerender → circuit: the prerender reads over REST and opens no live connection, hands its data over
/// (PrerenderedData), and the interactive render shows it without reading it again.
/// </summary>
public sealed class PrerenderHandoverTests : PortalTestContext
{
    private static readonly Guid NetworkId = Guid.NewGuid();
    private static readonly Guid BobId = Guid.NewGuid();

    private static readonly NetworkDto Network = new(NetworkId, "123-456-789", "office", NetworkType.Mesh, JoinPolicy.Approval, false, false,
        Guid.NewGuid(), "free", 5, 2, MemberRole.Owner, MemberStatus.Active, Members.Joined, 1, 0);

    private static readonly List<MemberDto> List = [Active("alice", MemberRole.Owner), Active("bob", id: BobId, devices: Device("desktop", true))];

    private static readonly RendererInfo Prerendering = new("Static", isInteractive: false);

    private static readonly RendererInfo Circuit = new("Server", isInteractive: true);

    /// <summary>Renders as the prerender does, takes what it handed over, and puts it back for the circuit's render.</summary>
    private async Task HandOverAsync(string key, Action render)
    {
        SetRendererInfo(Prerendering);
        render();
        Prerendered.TriggerOnPersisting();
        Assert.True(Prerendered.TryTake<byte[]>(key, out var packed), $"the prerender stored {key}");
        await DisposeComponentsAsync();
        SetRendererInfo(Circuit);
        Prerendered.Persist(key, packed);
    }

    [Fact]
    public async Task The_networks_list_is_read_once_and_the_prerender_opens_no_live_connection()
    {
        Api.Answer("/api/v1/networks", () => new List<NetworkDto> { Network });
        await HandOverAsync("networks", () => Render<NetworksOverview>().WaitForAssertion(() => Assert.Single(Api.Requests)));
        Assert.Equal(0, Live.Starts);

        var page = Render<NetworksOverview>();
        Assert.Equal("1 online", page.Find("[data-testid=network-online]").TextContent.Trim());
        Assert.Single(Api.Requests); // the prerender's read only
        Assert.Equal(1, Live.Starts);
    }

    [Fact]
    public async Task The_network_page_prerenders_over_rest_and_the_circuit_shows_it_before_the_watch_answers()
    {
        Api.Answer($"/api/v1/networks/{NetworkId}", () => Network);
        Api.Answer($"/api/v1/networks/{NetworkId}/members", () => List);
        await HandOverAsync($"network:{NetworkId:N}", () =>
        {
            var prerendered = Render<NetworkDetails>(p => p.Add(d => d.NetworkId, NetworkId));
            prerendered.WaitForAssertion(() => Assert.Equal(2, prerendered.FindAll("tr[data-member]").Count));
        });
        Assert.Empty(Live.Watches); // no live connection while prerendering
        Assert.Equal(2, Api.Requests.Count);

        var watch = new TaskCompletionSource<NetworkMembersUpdate?>();
        Live.Answer = watch.Task;
        Render<MudPopoverProvider>();
        var page = Render<NetworkDetails>(p => p.Add(d => d.NetworkId, NetworkId));
        Assert.Equal("true", page.Find($"tr[data-member='{BobId}']").GetAttribute("data-online")); // before the watch answered
        Assert.Equal(2, Api.Requests.Count); // nothing read again

        watch.SetResult(new NetworkMembersUpdate(NetworkId, [List[0], Active("bob", id: BobId, devices: Device("desktop", false))], 0, 0, Now));
        page.WaitForAssertion(() => Assert.Equal("false", page.Find($"tr[data-member='{BobId}']").GetAttribute("data-online")));
        Assert.Equal(1, Live.Watches[NetworkId]);
    }

    [Fact]
    public async Task Another_networks_handover_is_not_used()
    {
        var otherId = Guid.NewGuid();
        Api.Answer($"/api/v1/networks/{NetworkId}", () => Network);
        Api.Answer($"/api/v1/networks/{NetworkId}/members", () => List);
        await HandOverAsync($"network:{NetworkId:N}", () =>
            Render<NetworkDetails>(p => p.Add(d => d.NetworkId, NetworkId)).WaitForAssertion(() => Assert.Equal(2, Api.Requests.Count)));

        Render<MudPopoverProvider>();
        Render<NetworkDetails>(p => p.Add(d => d.NetworkId, otherId));
        Assert.Contains($"GET /api/v1/networks/{otherId}", Api.Requests);
    }
}
