using System.Net;
using HamachiCloud.Api.ControlPlane;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Api.Tests;

/// <summary>The pure map builder and diff: visibility by network type, presence, go-offline, statuses, deltas.</summary>
public sealed class NetworkMapBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Net1 = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    private static readonly Guid Net2 = Guid.Parse("00000000-0000-0000-0000-0000000000a2");
    private static readonly Guid Owner = Guid.Parse("00000000-0000-0000-0000-000000000001");
    private static readonly Guid Bob = Guid.Parse("00000000-0000-0000-0000-000000000002");
    private static readonly Guid Carol = Guid.Parse("00000000-0000-0000-0000-000000000003");
    private static readonly Guid Dave = Guid.Parse("00000000-0000-0000-0000-000000000004");

    private static int _nextAddress = 1;

    [Fact]
    public void Mesh_every_member_device_is_a_peer_with_its_host_routes()
    {
        var (o, b, c) = (Dev(Owner), Dev(Bob, connected: false), Dev(Carol));
        var s = Snapshot([Net(Net1, NetworkType.Mesh, Member(Owner, HubRole.Hub), Member(Bob), Member(Carol))], o, b, c);

        var map = NetworkMapBuilder.Build(s, o.Id, 7, "100.64.0.0/10", Now);

        Assert.Equal(7, map.Version);
        Assert.Equal((o.IPv4.ToString(), o.IPv6.ToString(), "100.64.0.0/10"), (map.SelfIPv4, map.SelfIPv6, map.OverlayPrefixV4));
        Assert.Equal(Now + ControlProtocol.MapLifetime, map.ExpiresAt);
        Assert.Equal(Ids(b, c), map.Peers.Select(p => p.DeviceId).Order());
        var bob = map.Peers.Single(p => p.DeviceId == b.Id);
        Assert.Equal([$"{b.IPv4}/32", $"{b.IPv6}/128"], bob.AllowedIps);
        Assert.Equal(b.NodeKey, bob.NodeKey);
        Assert.Equal(b.Endpoints, bob.Endpoints);
        Assert.False(bob.Online); // offline peers stay in the map, marked offline
        Assert.True(map.Peers.Single(p => p.DeviceId == c.Id).Online);
        Assert.Equal([Net1], bob.NetworkIds);
        var network = Assert.Single(map.Networks);
        Assert.Equal(3, network.Members.Count);
        Assert.False(network.Members.Single(m => m.DeviceId == b.Id).Online);
    }

    [Fact]
    public void A_member_over_the_plan_limit_reaches_no_one_is_listed_by_no_one_and_sees_why()
    {
        var (o, b, c, c2) = (Dev(Owner), Dev(Bob), Dev(Carol), Dev(Carol));
        var s = Snapshot([
            Net(Net1, NetworkType.Mesh, Member(Owner, HubRole.Hub), Member(Bob), Member(Carol) with { OverPlanLimit = true }),
            Net(Net2, NetworkType.Mesh, Member(Owner, HubRole.Hub), Member(Carol)),
        ], o, b, c, c2);

        var owner = NetworkMapBuilder.Build(s, o.Id, 1, "100.64.0.0/10", Now);
        Assert.Equal([Net1], owner.Peers.Single(p => p.DeviceId == b.Id).NetworkIds);
        Assert.Equal([Net2], owner.Peers.Single(p => p.DeviceId == c.Id).NetworkIds); // still a peer through the other network
        Assert.DoesNotContain(owner.Networks.Single(n => n.Id == Net1).Members, m => m.UserId == Carol);
        Assert.False(owner.Networks.Single(n => n.Id == Net1).OverPlanLimit);
        Assert.Equal(Ids(o), Peers(s, b));

        var carol = NetworkMapBuilder.Build(s, c.Id, 1, "100.64.0.0/10", Now);
        var aside = carol.Networks.Single(n => n.Id == Net1);
        Assert.True(aside.OverPlanLimit);
        Assert.All(aside.Members, m => Assert.Equal(Carol, m.UserId)); // its own devices only
        Assert.DoesNotContain(carol.Peers, p => p.NetworkIds.Contains(Net1) && p.DeviceId != c2.Id);
        Assert.Equal([Net2], carol.Peers.Single(p => p.DeviceId == o.Id).NetworkIds);
    }

    [Fact]
    public void Hub_and_spoke_spokes_reach_hubs_only_and_hubs_reach_everyone()
    {
        var (hub, s1, s2, hub2) = (Dev(Owner), Dev(Bob), Dev(Carol), Dev(Dave));
        var s = Snapshot([Net(Net1, NetworkType.HubAndSpoke, Member(Owner, HubRole.Hub), Member(Bob), Member(Carol), Member(Dave, HubRole.Hub))], hub, s1, s2, hub2);

        Assert.Equal(Ids(s1, s2, hub2), Peers(s, hub));
        Assert.Equal(Ids(hub, hub2), Peers(s, s1));
        Assert.Equal(Ids(hub, hub2), Peers(s, s2));
        Assert.Equal(Ids(hub, s1, s2), Peers(s, hub2));

        // Spokes still see every member listed (Hamachi lists them), just no tunnel.
        Assert.Equal(4, NetworkMapBuilder.Build(s, s1.Id, 1, "100.64.0.0/10", Now).Networks.Single().Members.Count);
    }

    [Fact]
    public void Gateway_members_reach_the_gateway_only_and_do_not_see_each_other()
    {
        var (gw, m1, m2) = (Dev(Owner), Dev(Bob), Dev(Carol));
        var s = Snapshot([Net(Net1, NetworkType.Gateway, Member(Owner, HubRole.Hub), Member(Bob), Member(Carol))], gw, m1, m2);

        Assert.Equal(Ids(m1, m2), Peers(s, gw));
        Assert.Equal(Ids(gw), Peers(s, m1));
        var members = NetworkMapBuilder.Build(s, m1.Id, 1, "100.64.0.0/10", Now).Networks.Single().Members.Select(m => m.DeviceId).Order();
        Assert.Equal(Ids(gw, m1), members);
        Assert.Equal(3, NetworkMapBuilder.Build(s, gw.Id, 1, "100.64.0.0/10", Now).Networks.Single().Members.Count);
    }

    [Fact]
    public void Approved_gateway_routes_go_to_the_gateways_peer_entry_for_members_of_that_gateway_network_only()
    {
        var (gw, m1, m2, d) = (Dev(Owner), Dev(Bob), Dev(Carol), Dev(Dave));
        MapSnapshot.Route[] routes =
        [
            new(gw.Id, "198.18.77.0/24", RouteStatus.Approved),
            new(gw.Id, "fd00:77::/64", RouteStatus.Approved),
            new(gw.Id, "198.18.78.0/24", RouteStatus.Pending),
            new(gw.Id, "198.18.79.0/24", RouteStatus.Rejected),
            new(m1.Id, "198.18.80.0/24", RouteStatus.Approved), // a spoke's route is never used
        ];
        var s = Snapshot(
            [
                Net(Net1, NetworkType.Gateway, Member(Owner, HubRole.Hub), Member(Bob), Member(Carol)) with { Routes = routes },
                Net(Net2, NetworkType.Mesh, Member(Owner, HubRole.Hub), Member(Dave)),
            ],
            gw, m1, m2, d);

        var member = NetworkMapBuilder.Build(s, m1.Id, 1, "100.64.0.0/10", Now);
        var gateway = Assert.Single(member.Peers);
        Assert.Equal([$"{gw.IPv4}/32", $"{gw.IPv6}/128", "198.18.77.0/24", "fd00:77::/64"], gateway.AllowedIps);
        Assert.Equal(
            [new RouteInfo("198.18.77.0/24", gw.Id, RouteStatus.Approved), new RouteInfo("fd00:77::/64", gw.Id, RouteStatus.Approved)],
            member.Networks.Single().Routes!);

        // The gateway sees its own routes with their status; its peers carry no prefixes.
        var self = NetworkMapBuilder.Build(s, gw.Id, 1, "100.64.0.0/10", Now);
        Assert.Equal(["198.18.77.0/24", "198.18.78.0/24", "198.18.79.0/24", "fd00:77::/64"],
            self.Networks.Single(n => n.Id == Net1).Routes!.Select(r => r.Prefix));
        Assert.Equal(RouteStatus.Pending, self.Networks.Single(n => n.Id == Net1).Routes!.Single(r => r.Prefix == "198.18.78.0/24").Status);
        Assert.All(self.Peers, p => Assert.Equal(2, p.AllowedIps.Count));

        // Dave shares only a mesh network with the gateway device: no LAN prefixes, no routes listed.
        var mesh = NetworkMapBuilder.Build(s, d.Id, 1, "100.64.0.0/10", Now);
        Assert.Equal([$"{gw.IPv4}/32", $"{gw.IPv6}/128"], Assert.Single(mesh.Peers).AllowedIps);
        Assert.Null(mesh.Networks.Single().Routes);

        // A gateway that went offline in the network takes its routes with it.
        var offline = Snapshot([Net(Net1, NetworkType.Gateway, Member(Owner, HubRole.Hub), Member(Bob)) with { Routes = routes }],
            gw with { OfflineIn = new HashSet<Guid> { Net1 } }, m1);
        Assert.Empty(NetworkMapBuilder.Build(offline, m1.Id, 1, "100.64.0.0/10", Now).Peers);
    }

    [Fact]
    public void Public_routes_reach_only_the_devices_that_accept_them_and_only_in_networks_that_allow_them()
    {
        var (gw, refuses, accepts) = (Dev(Owner), Dev(Bob), Dev(Carol) with { AcceptPublicRoutes = true });
        MapSnapshot.Route[] routes =
        [
            new(gw.Id, "198.18.77.0/24", RouteStatus.Approved),
            new(gw.Id, "203.0.113.0/24", RouteStatus.Approved),
            new(gw.Id, "2001:db8:77::/48", RouteStatus.Approved),
        ];
        var network = Net(Net1, NetworkType.Gateway, Member(Owner, HubRole.Hub), Member(Bob), Member(Carol)) with { Routes = routes, AllowPublicRoutes = true };
        var s = Snapshot([network], gw, refuses, accepts);

        // A device that did not accept: only the private prefix in its gateway's AllowedIps; the public ones are listed, marked public.
        var refused = NetworkMapBuilder.Build(s, refuses.Id, 1, "100.64.0.0/10", Now);
        Assert.Equal([$"{gw.IPv4}/32", $"{gw.IPv6}/128", "198.18.77.0/24"], Assert.Single(refused.Peers).AllowedIps);
        Assert.False(refused.AcceptPublicRoutes);
        Assert.Equal(
        [
            new RouteInfo("198.18.77.0/24", gw.Id, RouteStatus.Approved),
            new RouteInfo("2001:db8:77::/48", gw.Id, RouteStatus.Approved, Public: true),
            new RouteInfo("203.0.113.0/24", gw.Id, RouteStatus.Approved, Public: true),
        ], refused.Networks.Single().Routes!);

        // A device that accepts gets them all.
        var accepted = NetworkMapBuilder.Build(s, accepts.Id, 1, "100.64.0.0/10", Now);
        Assert.Equal([$"{gw.IPv4}/32", $"{gw.IPv6}/128", "198.18.77.0/24", "2001:db8:77::/48", "203.0.113.0/24"], Assert.Single(accepted.Peers).AllowedIps);
        Assert.True(accepted.AcceptPublicRoutes);

        // In a network that does not allow public routes, an approved public row is not in force, even for a device that accepts.
        var closed = Snapshot([network with { AllowPublicRoutes = false }], gw, refuses, accepts);
        var none = NetworkMapBuilder.Build(closed, accepts.Id, 1, "100.64.0.0/10", Now);
        Assert.Equal([$"{gw.IPv4}/32", $"{gw.IPv6}/128", "198.18.77.0/24"], Assert.Single(none.Peers).AllowedIps);
        Assert.Equal(["198.18.77.0/24"], none.Networks.Single().Routes!.Select(r => r.Prefix));
        var gateway = NetworkMapBuilder.Build(closed, gw.Id, 1, "100.64.0.0/10", Now);
        Assert.Equal(RouteStatus.Rejected, gateway.Networks.Single().Routes!.Single(r => r.Prefix == "203.0.113.0/24").Status); // it does not serve it

        // Accepting or refusing changes the whole map: a full map, not a delta.
        Assert.Null(NetworkMapDiff.Diff(refused, NetworkMapBuilder.Build(s with { Devices = [gw, refuses with { AcceptPublicRoutes = true }, accepts] }, refuses.Id, 2, "100.64.0.0/10", Now)));
    }

    [Fact]
    public void Approving_a_route_is_a_delta_of_the_gateway_peer_and_the_network()
    {
        var (gw, m1) = (Dev(Owner), Dev(Bob));
        Func<RouteStatus, MapSnapshot> at = status => Snapshot(
            [Net(Net1, NetworkType.Gateway, Member(Owner, HubRole.Hub), Member(Bob)) with { Routes = [new(gw.Id, "198.18.77.0/24", status)] }], gw, m1);
        var v1 = NetworkMapBuilder.Build(at(RouteStatus.Pending), m1.Id, 1, "100.64.0.0/10", Now);
        var v2 = NetworkMapBuilder.Build(at(RouteStatus.Approved), m1.Id, 2, "100.64.0.0/10", Now);

        var delta = NetworkMapDiff.Diff(v1, v2)!;
        Assert.Contains("198.18.77.0/24", Assert.Single(delta.UpsertedPeers).AllowedIps);
        Assert.Single(Assert.Single(delta.UpsertedNetworks).Routes!);
        Assert.Equal(ControlJson.Serialize(v2), ControlJson.Serialize(NetworkMapDiff.Apply(v1, delta)));
        Assert.True(NetworkMapDiff.IsEmpty(NetworkMapDiff.Diff(v2, NetworkMapBuilder.Build(at(RouteStatus.Approved), m1.Id, 3, "100.64.0.0/10", Now))!));
    }

    [Fact]
    public void Own_other_devices_are_peers_in_a_mesh_but_not_between_spokes()
    {
        var (laptop, desktop, o) = (Dev(Bob), Dev(Bob), Dev(Owner));
        var mesh = Snapshot([Net(Net1, NetworkType.Mesh, Member(Owner, HubRole.Hub), Member(Bob))], laptop, desktop, o);
        Assert.Equal(Ids(desktop, o), Peers(mesh, laptop));

        var spokes = Snapshot([Net(Net1, NetworkType.HubAndSpoke, Member(Owner, HubRole.Hub), Member(Bob))], laptop, desktop, o);
        Assert.Equal(Ids(o), Peers(spokes, laptop));
    }

    [Theory]
    [InlineData(MemberStatus.Pending)]
    [InlineData(MemberStatus.Evicted)]
    [InlineData(MemberStatus.Rejected)]
    public void Members_that_are_not_active_are_neither_peers_nor_listed(MemberStatus status)
    {
        var (o, b) = (Dev(Owner), Dev(Bob));
        var s = Snapshot([Net(Net1, NetworkType.Mesh, Member(Owner, HubRole.Hub), Member(Bob) with { Status = status })], o, b);

        var map = NetworkMapBuilder.Build(s, o.Id, 1, "100.64.0.0/10", Now);
        Assert.Empty(map.Peers);
        Assert.Equal([o.Id], map.Networks.Single().Members.Select(m => m.DeviceId));

        // And the inactive member's own device has no network at all.
        var theirs = NetworkMapBuilder.Build(s, b.Id, 1, "100.64.0.0/10", Now);
        Assert.Empty(theirs.Networks);
        Assert.Empty(theirs.Peers);
    }

    [Fact]
    public void Go_offline_in_one_network_removes_only_that_networks_tunnels()
    {
        var o = Dev(Owner, offlineIn: [Net1]);
        var (b, c) = (Dev(Bob), Dev(Carol));
        var s = Snapshot(
            [Net(Net1, NetworkType.Mesh, Member(Owner, HubRole.Hub), Member(Bob)), Net(Net2, NetworkType.Mesh, Member(Owner, HubRole.Hub), Member(Carol))],
            o, b, c);

        var mine = NetworkMapBuilder.Build(s, o.Id, 1, "100.64.0.0/10", Now);
        Assert.Equal(Ids(c), mine.Peers.Select(p => p.DeviceId));
        Assert.False(mine.Networks.Single(n => n.Id == Net1).Online);
        Assert.True(mine.Networks.Single(n => n.Id == Net2).Online);

        Assert.Empty(Peers(s, b)); // Bob only shares Net1 with the owner, who is offline there
        Assert.False(NetworkMapBuilder.Build(s, b.Id, 1, "100.64.0.0/10", Now).Networks.Single().Members.Single(m => m.DeviceId == o.Id).Online);
        Assert.Equal(Ids(o), Peers(s, c));
    }

    [Fact]
    public void A_peer_shared_through_two_networks_appears_once_with_both()
    {
        var (o, b) = (Dev(Owner), Dev(Bob));
        var s = Snapshot(
            [Net(Net1, NetworkType.Mesh, Member(Owner, HubRole.Hub), Member(Bob)), Net(Net2, NetworkType.HubAndSpoke, Member(Owner, HubRole.Hub), Member(Bob))],
            o, b);
        var peer = Assert.Single(NetworkMapBuilder.Build(s, b.Id, 1, "100.64.0.0/10", Now).Peers);
        Assert.Equal([Net1, Net2], peer.NetworkIds);
    }

    [Fact]
    public void A_device_without_networks_gets_an_empty_map()
    {
        var lone = Dev(Dave);
        var map = NetworkMapBuilder.Build(Snapshot([], lone), lone.Id, 1, "100.64.0.0/10", Now);
        Assert.Empty(map.Networks);
        Assert.Empty(map.Peers);
        Assert.Throws<ArgumentException>(() => NetworkMapBuilder.Build(Snapshot([], lone), Guid.NewGuid(), 1, "x", Now));
    }

    [Fact]
    public void Diff_carries_exactly_the_changes_and_applying_it_gives_the_new_map()
    {
        var (o, b, c) = (Dev(Owner), Dev(Bob, connected: false), Dev(Carol));
        var before = Snapshot([Net(Net1, NetworkType.Mesh, Member(Owner, HubRole.Hub), Member(Bob), Member(Carol))], o, b, c);
        var after = Snapshot([Net(Net1, NetworkType.Mesh, Member(Owner, HubRole.Hub), Member(Bob))], o, b with { Connected = true }, c);
        var v1 = NetworkMapBuilder.Build(before, o.Id, 1, "100.64.0.0/10", Now);
        var v2 = NetworkMapBuilder.Build(after, o.Id, 2, "100.64.0.0/10", Now.AddSeconds(1));

        var delta = NetworkMapDiff.Diff(v1, v2)!;
        Assert.Equal((1L, 2L), (delta.FromVersion, delta.ToVersion));
        Assert.Equal([b.Id], delta.UpsertedPeers.Select(p => p.DeviceId));
        Assert.True(delta.UpsertedPeers.Single().Online);
        Assert.Equal([c.Id], delta.RemovedPeers);
        Assert.Equal([Net1], delta.UpsertedNetworks.Select(n => n.Id));
        Assert.Empty(delta.RemovedNetworks);
        Assert.Equal(ControlJson.Serialize(v2), ControlJson.Serialize(NetworkMapDiff.Apply(v1, delta)));

        var same = NetworkMapDiff.Diff(v2, NetworkMapBuilder.Build(after, o.Id, 3, "100.64.0.0/10", Now.AddSeconds(2)))!;
        Assert.True(NetworkMapDiff.IsEmpty(same));
        Assert.Null(NetworkMapDiff.Diff(v2, v2 with { SelfIPv4 = "100.64.9.9" }));
    }

    private static List<Guid> Peers(MapSnapshot s, MapSnapshot.Dev d) =>
        NetworkMapBuilder.Build(s, d.Id, 1, "100.64.0.0/10", Now).Peers.Select(p => p.DeviceId).Order().ToList();

    private static List<Guid> Ids(params MapSnapshot.Dev[] devices) => devices.Select(d => d.Id).Order().ToList();

    private static MapSnapshot Snapshot(MapSnapshot.Net[] networks, params MapSnapshot.Dev[] devices) => new(networks, devices);

    private static MapSnapshot.Net Net(Guid id, NetworkType type, params MapSnapshot.Member[] members) =>
        new(id, "123-456-789", "net " + id.ToString()[^2..], type, members);

    private static MapSnapshot.Member Member(Guid user, HubRole hub = HubRole.Spoke) =>
        new(user, "nick " + user.ToString()[^1..], user == Owner ? MemberRole.Owner : MemberRole.Member, hub, MemberStatus.Active);

    private static MapSnapshot.Dev Dev(Guid user, bool connected = true, Guid[]? offlineIn = null)
    {
        var n = Interlocked.Increment(ref _nextAddress);
        var v4 = IPAddress.Parse($"100.64.{n / 250}.{n % 250 + 1}");
        return new MapSnapshot.Dev(Guid.NewGuid(), user, "dev" + n, Convert.ToBase64String(new byte[32]), v4,
            IPAddress.Parse($"fd48:616d:6163::{n:x}"), connected, [$"192.0.2.{n % 250 + 1}:41641"], (offlineIn ?? []).ToHashSet());
    }
}
