using System.Net;
using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Agent.Tests;

/// <summary>The pure decision of which gateway prefixes get a kernel route, which are reported, and what a gateway serves.</summary>
public sealed class GatewayRoutesTests
{
    private static readonly Guid Net = Guid.Parse("00000000-0000-0000-0000-0000000000a1");

    [Fact]
    public void Approved_prefixes_of_peers_are_routed_and_host_entries_are_not()
    {
        var gw = Gateway(1, "198.18.77.0/24", "2001:db8:77::/64");
        var plan = GatewayRoutes.Plan(Maps.Map(1, gw, Maps.Peer(2)), [new LocalPrefix("eth0", IPNetwork.Parse("198.18.0.0/24"))]);

        Assert.Equal(["198.18.77.0/24", "2001:db8:77::/64"], plan.Install.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal));
        Assert.All(plan.Install.Values, via => Assert.Equal("peer1", via));
        Assert.Empty(plan.Conflicts);
        Assert.Empty(plan.Serve);
    }

    [Fact]
    public void An_offline_gateway_keeps_its_routes_so_lan_traffic_never_takes_the_default_route()
    {
        var plan = GatewayRoutes.Plan(Maps.Map(1, Gateway(1, "198.18.77.0/24") with { Online = false }), []);
        Assert.Equal([IPNetwork.Parse("198.18.77.0/24")], plan.Install.Keys);
    }

    [Theory]
    [InlineData("198.18.77.0/24", "eth0", "198.18.77.0/24")]
    [InlineData("198.18.77.0/24", "eth0", "198.18.0.0/16")]
    [InlineData("198.18.0.0/16", "wlan0", "198.18.77.0/24")]
    [InlineData("2001:db8:77::/64", "eth0", "2001:db8::/32")]
    public void A_prefix_that_overlaps_an_own_interface_prefix_is_reported_not_routed(string advertised, string nic, string lan)
    {
        var plan = GatewayRoutes.Plan(Maps.Map(1, Gateway(1, advertised)), [new LocalPrefix(nic, IPNetwork.Parse(lan))]);

        Assert.Empty(plan.Install);
        var conflict = Assert.Single(plan.Conflicts);
        Assert.Equal((IPNetwork.Parse(advertised), "peer1"), (conflict.Prefix, conflict.Via));
        Assert.Equal($"{advertised} via peer1 overlaps your LAN {nic} {lan}: route not installed", conflict.Message);
    }

    [Fact]
    public void Overlap_with_the_overlay_or_another_gateways_prefix_is_reported_too()
    {
        var plan = GatewayRoutes.Plan(Maps.Map(1, Gateway(1, "198.18.0.0/16"), Gateway(2, "198.18.77.0/24", "100.64.5.0/24")), []);

        Assert.Equal([IPNetwork.Parse("198.18.0.0/16")], plan.Install.Keys);
        Assert.Equal(
            ["198.18.77.0/24 via peer2 overlaps 198.18.0.0/16 via peer1: route not installed", "100.64.5.0/24 via peer2 overlaps the overlay 100.64.0.0/10: route not installed"],
            plan.Conflicts.Select(c => c.Message));
    }

    [Fact]
    public void A_gateway_serves_its_approved_routes_in_networks_where_it_is_online()
    {
        RouteInfo[] routes =
        [
            new("198.18.77.0/24", Maps.Self, RouteStatus.Approved),
            new("198.18.78.0/24", Maps.Self, RouteStatus.Pending),
            new("198.18.79.0/24", Maps.Self, RouteStatus.Rejected),
            new("198.18.80.0/24", Guid.NewGuid(), RouteStatus.Approved),
        ];
        var online = new NetworkInfo(Net, "123-456-789", "office", NetworkType.Gateway, true, [], routes);
        var offline = online with { Id = Guid.NewGuid(), Online = false, Routes = [new("198.18.81.0/24", Maps.Self, RouteStatus.Approved)] };

        var plan = GatewayRoutes.Plan(Maps.Map(1) with { Networks = [online, offline] }, [new LocalPrefix("eth1", IPNetwork.Parse("198.18.77.0/24"))]);

        Assert.Equal([IPNetwork.Parse("198.18.77.0/24")], plan.Serve);
        Assert.Empty(plan.Install); // routes come from peers' AllowedIps, never from the network list
        Assert.Empty(plan.Conflicts);
    }

    private static PeerInfo Gateway(int n, params string[] prefixes)
    {
        var peer = Maps.Peer(n, true, $"198.18.0.{n}:41641");
        return peer with { AllowedIps = [.. peer.AllowedIps, .. prefixes] };
    }
}
