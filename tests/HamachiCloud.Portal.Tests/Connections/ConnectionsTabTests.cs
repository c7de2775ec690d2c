using Bunit;
using HamachiCloud.Api.Contracts.Paths;
using HamachiCloud.Portal.Components.Connections;
using HamachiCloud.Portal.Tests.Support;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Networks;
using static HamachiCloud.Portal.Tests.Connections.ConnectionPictureTests;
using static HamachiCloud.Portal.Tests.Support.Members;

namespace HamachiCloud.Portal.Tests.Connections;

/// <summary>The Connections tab: summary, the non-direct list worst first, the graph's edges by kind, the pair detail, refresh on PathsChanged.</summary>
public sealed class ConnectionsTabTests : PortalTestContext
{
    private static readonly Guid NetworkId = Guid.NewGuid();
    private static readonly (Guid A, Guid B, Guid C) Ids = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
    private static readonly NatReport Symmetric = new(Mapping: "endpoint-dependent", Filtering: "address-and-port-dependent");

    private List<PeerPathDto> _paths =
    [
        Path(Ids.A, Ids.B, "direct"), Path(Ids.B, Ids.A, "direct"),
        Path(Ids.A, Ids.C, "relay"), Path(Ids.C, Ids.A, "relay"),
        Path(Ids.B, Ids.C, "none"),
    ];

    public ConnectionsTabTests() => Api.Answer($"/api/v1/networks/{NetworkId}/paths", () => _paths);

    private IRenderedComponent<ConnectionsTab> RenderTab(int version = 0) => Render<ConnectionsTab>(p => p
        .Add(t => t.NetworkId, NetworkId)
        .Add(t => t.Type, NetworkType.Mesh)
        .Add(t => t.PathsVersion, version)
        .Add(t => t.Members,
        [
            Active("alice", devices: Device("laptop", true, id: Ids.A, nat: Symmetric)),
            Active("bob", devices: Device("server", true, id: Ids.B)),
            Active("carol", devices: Device("phone", true, id: Ids.C, nat: Symmetric)),
        ]));

    private static string Key(Guid x, Guid y) => x.CompareTo(y) <= 0 ? $"{x:N}-{y:N}" : $"{y:N}-{x:N}";

    [Fact]
    public void Summary_first_then_the_non_direct_pairs_worst_first()
    {
        var tab = RenderTab();
        tab.WaitForAssertion(() => Assert.Equal("3 pairs: 1 direct, 1 UDP relay, 0 WebSocket, 1 down", tab.Find("[data-testid=connection-summary]").TextContent.Trim()));
        var problems = tab.FindAll("ul[aria-label='Pairs that are not direct'] button[data-pair]");
        Assert.Equal(["none", "relay-udp"], problems.Select(b => b.GetAttribute("data-path")));
        Assert.Equal("server (bob) ↔ phone (carol): Not connected", problems[0].GetAttribute("aria-label"));
    }

    [Fact]
    public void The_graph_draws_every_pair_with_its_kind_for_tests_and_screen_readers()
    {
        var tab = RenderTab();
        tab.WaitForAssertion(() => Assert.Equal(3, tab.FindAll("[data-testid=pair-graph] g[data-pair]").Count));
        var direct = tab.Find($"[data-testid=pair-graph] g[data-pair='{Key(Ids.A, Ids.B)}']");
        Assert.Equal("direct", direct.GetAttribute("data-path"));
        Assert.Equal("laptop (alice) ↔ server (bob): Direct", direct.GetAttribute("aria-label"));
        Assert.Equal("✕", tab.Find($"g[data-pair='{Key(Ids.B, Ids.C)}'] .hc-edge-mark").TextContent);
        Assert.Equal(3, tab.FindAll("[data-testid=pair-graph] g[data-device]").Count);
    }

    [Fact]
    public void Clicking_a_pair_opens_its_detail_with_the_advice()
    {
        var tab = RenderTab();
        tab.WaitForAssertion(() => tab.Find($"button[data-pair='{Key(Ids.A, Ids.C)}']"));
        tab.Find($"button[data-pair='{Key(Ids.A, Ids.C)}']").Click();

        var detail = tab.Find("[data-testid=pair-detail]");
        Assert.Equal("relay-udp", detail.GetAttribute("data-path"));
        Assert.Equal("Relayed UDP", tab.Find("[data-testid=pair-path]").TextContent.Trim());
        Assert.StartsWith("Both sides are behind symmetric NATs", tab.Find("[data-testid=pair-advice]").TextContent.Trim());
        Assert.Contains("symmetric NAT: a new public port for every destination", detail.TextContent);
        Assert.Contains("laptop: Relayed UDP, reported just now", detail.TextContent);
    }

    [Fact]
    public void A_new_paths_version_reads_the_paths_again()
    {
        var tab = RenderTab();
        tab.WaitForAssertion(() => Assert.Contains("1 down", tab.Find("[data-testid=connection-summary]").TextContent));
        _paths = [Path(Ids.A, Ids.B, "direct"), Path(Ids.A, Ids.C, "direct"), Path(Ids.B, Ids.C, "direct")];
        tab.Render(p => p.Add(t => t.PathsVersion, 1));
        tab.WaitForAssertion(() => Assert.Equal("3 pairs: 3 direct, 0 UDP relay, 0 WebSocket, 0 down", tab.Find("[data-testid=connection-summary]").TextContent.Trim()));
        Assert.NotNull(tab.Find("[data-testid=all-direct]"));
        Assert.Equal(2, Api.Requests.Count(r => r.EndsWith("/paths", StringComparison.Ordinal)));
    }

    [Fact]
    public void Fewer_than_two_online_devices_is_an_empty_state()
    {
        var tab = Render<ConnectionsTab>(p => p
            .Add(t => t.NetworkId, NetworkId)
            .Add(t => t.Members, [Active("alice", devices: Device("laptop", true)), Active("bob", devices: Device("server", false, Now.AddHours(-1)))]));
        tab.WaitForAssertion(() => Assert.Contains("once two devices", tab.Find("[data-testid=connections-empty]").TextContent));
        Assert.Contains("1 offline", tab.Markup);
    }
}
