using System.Security.Cryptography;
using HamachiCloud.Agent.Daemon;
using HamachiCloud.Agent.Engine.Device;
using HamachiCloud.Agent.State;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Testing;
using Microsoft.Extensions.Time.Testing;

namespace HamachiCloud.Agent.Tests;

/// <summary>The daemon's state over the in-memory twins (MemoryTun, virtual UDP) with a fake clock and a temp state dir.</summary>
public sealed class DaemonHostTests : IDisposable
{
    private readonly SigningKey _server = SigningKey.Generate();
    private readonly string _dir = Directory.CreateTempSubdirectory("hamachi-state-").FullName;
    private readonly FakeTimeProvider _time = new(Maps.Now);
    private readonly StateDirectory _state;
    private readonly WireGuardDevice _device;
    private readonly DaemonHost _host;
    private readonly StringWriter _log = new();
    private readonly MemoryHostRouting _routing = new();

    public DaemonHostTests()
    {
        _state = new StateDirectory(_dir);
        var enrolment = new Enrolment(Maps.Self, "box", "http://127.0.0.1:1", _server.PublicKey.ToBase64(), "100.64.0.100", "fd00::100", "100.64.0.0/10", null);
        using var random = RandomNumberGenerator.Create();
        var conn = new VirtualNetwork().Listen(VirtualNetwork.Endpoint("198.18.0.100", 41641));
        _device = WireGuardDevice.Create(new() { PrivateKey = NodePrivateKey.Generate(random), Peers = [] }, new MemoryTun(), conn, _time);
        _host = new DaemonHost(_state, enrolment, _device, _time, _log, _routing);
    }

    public void Dispose()
    {
        _host.Dispose();
        _device.Dispose();
        _server.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_signed_map_builds_tunnels_for_online_peers_and_is_cached_as_received()
    {
        var signed = Maps.Sign(_server, Maps.Map(3, Maps.Peer(1, true, "198.18.0.1:41641"), Maps.Peer(2, false)));

        _host.NetworkMap(signed);

        Assert.Equal([Maps.Key(Maps.Peer(1))], _device.GetPeerStatistics().Select(p => p.PublicKey));
        var cache = _state.LoadMapCache()!;
        Assert.Equal(signed.Payload, cache.Map.Payload);
        Assert.Equal(signed.Signature, cache.Map.Signature);
        Assert.Equal((3L, "server", 1), (_host.Status().MapVersion, _host.Status().MapSource, _host.Status().Tunnels));
    }

    [Fact]
    public void Gateway_prefixes_become_routes_overlaps_are_reported_and_withdrawn_prefixes_are_removed()
    {
        _routing.Interfaces.Add(new Engine.IO.LocalPrefix("eth0", System.Net.IPNetwork.Parse("198.18.7.0/24")));
        var gw = Maps.Peer(1, true, "198.18.0.1:41641");
        gw = gw with { AllowedIps = [.. gw.AllowedIps, "198.18.77.0/24", "198.18.7.0/24"] };

        _host.NetworkMap(Maps.Sign(_server, Maps.Map(1, gw)));

        Assert.Equal([System.Net.IPNetwork.Parse("198.18.77.0/24")], _routing.Routes);
        var status = _host.Status();
        Assert.Equal(["198.18.77.0/24 via peer1"], status.Routes);
        Assert.Equal(["198.18.7.0/24 via peer1 overlaps your LAN eth0 198.18.7.0/24: route not installed"], status.RouteConflicts);
        Assert.Contains("198.18.7.0/24 via peer1 overlaps your LAN eth0 198.18.7.0/24: route not installed", _log.ToString(), StringComparison.Ordinal);
        Assert.Single(_device.GetPeerStatistics()); // the tunnel exists either way

        // Withdrawn (or the approval taken back): the route goes.
        _host.NetworkMap(Maps.Sign(_server, Maps.Map(2, Maps.Peer(1, true, "198.18.0.1:41641"))));
        Assert.Empty(_routing.Routes);
        Assert.Empty(_host.Status().RouteConflicts!);
    }

    [Fact]
    public async Task Public_prefixes_pushed_by_the_server_reach_neither_tunnel_nor_routes_until_this_device_accepts_them_locally()
    {
        // A server (or gateway owner) pushing a public prefix to a device that never accepted it, and marking it accepted.
        var gw = Maps.Peer(1, true, "198.18.0.1:41641");
        gw = gw with { AllowedIps = [.. gw.AllowedIps, "198.18.77.0/24", "203.0.113.0/24"] };
        var network = new NetworkInfo(Guid.NewGuid(), "123-456-789", "office", Protocol.Networks.NetworkType.Gateway, true, [],
        [
            new RouteInfo("198.18.77.0/24", gw.DeviceId, Protocol.Networks.RouteStatus.Approved),
            new RouteInfo("203.0.113.0/24", gw.DeviceId, Protocol.Networks.RouteStatus.Approved, Public: true),
        ]);
        _host.NetworkMap(Maps.Sign(_server, Maps.Map(1, gw) with { Networks = [network], AcceptPublicRoutes = true }));

        Assert.Equal([System.Net.IPNetwork.Parse("198.18.77.0/24")], _routing.Routes);
        var tunnel = Assert.Single(_device.GetPeerStatistics());
        Assert.DoesNotContain(System.Net.IPNetwork.Parse("203.0.113.0/24"), tunnel.AllowedIps); // nor does the tunnel accept packets from it
        const string refusal = "203.0.113.0/24 via peer1 is a public route, not accepted on this device (`hamachi set --accept-routes` accepts public routes): route not installed";
        Assert.Contains(refusal, _host.Status().RouteConflicts!);
        Assert.Equal((false, true, 1), (_host.Status().AcceptPublicRoutes, _host.Status().ServerAcceptsPublicRoutes, _host.Status().RoutesRefused));
        var listing = _host.List().Single();
        Assert.StartsWith("public routes offered by the gateway: 203.0.113.0/24 — not accepted on this device", listing.PublicRoutes, StringComparison.Ordinal);
        Assert.Equal("not routed: " + refusal, listing.Routes!.Single(r => r.Prefix == "203.0.113.0/24").Status);

        // The same map again: refused again, logged once.
        _host.NetworkMap(Maps.Sign(_server, Maps.Map(2, gw) with { Networks = [network], AcceptPublicRoutes = true }));
        Assert.Equal(1, _log.ToString().Split(refusal).Length - 1);

        // Accepting needs the server (not connected here): nothing changes locally.
        var offline = await _host.SetAcceptRoutesAsync(true, CancellationToken.None);
        Assert.False(offline.Ok);
        Assert.False(_state.LoadRoutePreferences().AcceptPublicRoutes);
        Assert.DoesNotContain(System.Net.IPNetwork.Parse("203.0.113.0/24"), _routing.Routes);

        // Accepted locally (routes.json, as `hamachi set --accept-routes` leaves it): a restarted daemon installs it.
        _state.SaveRoutePreferences(new RoutePreferences(true));
        var enrolment = new Enrolment(Maps.Self, "box", "http://127.0.0.1:1", _server.PublicKey.ToBase64(), "100.64.0.100", "fd00::100", "100.64.0.0/10", null);
        var routing = new MemoryHostRouting();
        using var restarted = new DaemonHost(_state, enrolment, _device, _time, _log, routing);
        restarted.NetworkMap(Maps.Sign(_server, Maps.Map(3, gw) with { Networks = [network], AcceptPublicRoutes = true }));
        Assert.Equal(["198.18.77.0/24", "203.0.113.0/24"], routing.Routes.Select(r => r.ToString()).Order(StringComparer.Ordinal));
        Assert.Contains(System.Net.IPNetwork.Parse("203.0.113.0/24"), Assert.Single(_device.GetPeerStatistics()).AllowedIps);

        // Turning it off takes effect locally at once, even without the server.
        var off = await restarted.SetAcceptRoutesAsync(false, CancellationToken.None);
        Assert.False(off.Ok);
        Assert.Contains("no longer accepted on this device (removed now)", off.Error, StringComparison.Ordinal);
        Assert.Equal([System.Net.IPNetwork.Parse("198.18.77.0/24")], routing.Routes);
        Assert.False(_state.LoadRoutePreferences().AcceptPublicRoutes);
    }

    [Fact]
    public void A_gateway_prefix_covering_the_servers_address_is_never_installed()
    {
        var enrolment = new Enrolment(Maps.Self, "box", "http://198.18.0.50:8080", _server.PublicKey.ToBase64(), "100.64.0.100", "fd00::100", "100.64.0.0/10", null);
        var routing = new MemoryHostRouting();
        using var host = new DaemonHost(_state, enrolment, _device, _time, _log, routing,
            () => [new Engine.Control.UnderlayAddress(System.Net.IPAddress.Parse("198.18.0.50"), "the server")]);
        var gw = Maps.Peer(1, true, "198.18.0.1:41641");
        gw = gw with { AllowedIps = [.. gw.AllowedIps, "198.18.0.0/16", "198.19.77.0/24"] };

        host.NetworkMap(Maps.Sign(_server, Maps.Map(1, gw)));

        Assert.Equal([System.Net.IPNetwork.Parse("198.19.77.0/24")], routing.Routes);
        Assert.DoesNotContain(System.Net.IPNetwork.Parse("198.18.0.0/16"), Assert.Single(_device.GetPeerStatistics()).AllowedIps);
        Assert.Contains("198.18.0.0/16 via peer1 covers 198.18.0.50 (the server), on this device's own path: route not installed", host.Status().RouteConflicts!);
    }

    [Fact]
    public void A_gateway_serves_its_approved_routes_and_stops_when_they_go()
    {
        var network = new NetworkInfo(Guid.NewGuid(), "123-456-789", "office", Protocol.Networks.NetworkType.Gateway, true, [],
            [new RouteInfo("198.18.77.0/24", Maps.Self, Protocol.Networks.RouteStatus.Approved), new RouteInfo("198.18.78.0/24", Maps.Self, Protocol.Networks.RouteStatus.Pending)]);
        _host.NetworkMap(Maps.Sign(_server, Maps.Map(1) with { Networks = [network] }));

        Assert.Equal([System.Net.IPNetwork.Parse("198.18.77.0/24")], _routing.Served);
        Assert.Equal(["198.18.77.0/24"], _host.Status().Serving);
        var routes = _host.List().Single().Routes!;
        Assert.Equal([("198.18.77.0/24", "this device", "serving"), ("198.18.78.0/24", "this device", "pending approval")], routes.Select(r => (r.Prefix, r.Gateway, r.Status)));

        _host.NetworkMap(Maps.Sign(_server, Maps.Map(2) with { Networks = [network with { Routes = [] }] }));
        Assert.Empty(_routing.Served);
    }

    [Fact]
    public void A_map_or_delta_signed_by_another_key_changes_nothing()
    {
        using var impostor = SigningKey.Generate();
        _host.NetworkMap(Maps.Sign(impostor, Maps.Map(1, Maps.Peer(1, true, "198.18.0.1:41641"))));

        Assert.Empty(_device.GetPeerStatistics());
        Assert.Null(_state.LoadMapCache());
        Assert.Contains("pinned server key", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Deltas_apply_on_their_from_version_and_join_the_cache_a_stale_one_is_ignored()
    {
        _host.NetworkMap(Maps.Sign(_server, Maps.Map(3, Maps.Peer(1, true, "198.18.0.1:41641"))));
        _host.NetworkMapDelta(Maps.Sign(_server, new NetworkMapDelta(3, 4, Maps.Now, [Maps.Peer(2, true, "198.18.0.2:41641")], [Maps.Peer(1).DeviceId], [], [])));
        _host.NetworkMapDelta(Maps.Sign(_server, new NetworkMapDelta(9, 10, Maps.Now, [], [Maps.Peer(2).DeviceId], [], [])));

        Assert.Equal([Maps.Key(Maps.Peer(2))], _device.GetPeerStatistics().Select(p => p.PublicKey));
        Assert.Equal(4, _host.Status().MapVersion);
        Assert.Single(_state.LoadMapCache()!.Deltas);
        Assert.Contains("does not apply to v4", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void After_a_restart_tunnels_come_back_from_the_cache_unless_it_is_tampered_or_expired()
    {
        _state.SaveMapCache(new CachedMap(Maps.Sign(_server, Maps.Map(5, Maps.Peer(1, true, "198.18.0.1:41641"))), []));
        Assert.StartsWith("restored 1 tunnel(s)", _host.RestoreFromCache(), StringComparison.Ordinal);
        Assert.Equal((5L, "cache"), (_host.Status().MapVersion, _host.Status().MapSource));
        Assert.Single(_device.GetPeerStatistics());

        var tampered = Maps.Sign(_server, Maps.Map(5, Maps.Peer(1, true, "198.18.0.1:41641")));
        tampered.Payload[^3] ^= 1;
        _state.SaveMapCache(new CachedMap(tampered, []));
        Assert.Contains("tampered", _host.RestoreFromCache(), StringComparison.Ordinal);

        _state.SaveMapCache(new CachedMap(Maps.Sign(_server, Maps.Map(5, Maps.Peer(1))), []));
        _time.Advance(ControlProtocol.MapLifetime);
        Assert.Contains("expired", _host.RestoreFromCache(), StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Keys_and_state_files_are_created_0600()
    {
        using var machine = _state.LoadOrCreateMachineKey();
        using var node = _state.LoadOrCreateNodeKey();
        using var again = _state.LoadOrCreateMachineKey();
        Assert.Equal(machine.PublicKey, again.PublicKey);
        foreach (var file in new[] { StateDirectory.MachineKeyFile, StateDirectory.NodeKeyFile })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_state.File(file)));
        }
    }
}
