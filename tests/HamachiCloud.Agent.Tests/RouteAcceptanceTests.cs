using System.Net;
using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Agent.Tests;

/// <summary>The agent's own check of gateway prefixes: public ones only with its consent, none covering its underlay path.</summary>
public sealed class RouteAcceptanceTests
{
    private static readonly UnderlayAddress[] Underlay =
    [
        new(IPAddress.Parse("192.0.2.10"), "the server"),
        new(IPAddress.Parse("198.18.0.1"), "the default gateway on eth0"),
    ];

    [Fact]
    public void Public_prefixes_are_dropped_unless_this_device_accepts_them_private_ones_stay()
    {
        var map = Maps.Map(1, Gateway(1, "198.18.77.0/24", "203.0.113.0/24", "8.8.8.0/24", "2000::/3", "fd00:77::/64"));

        var refused = RouteAcceptance.Filter(map, acceptPublic: false, Underlay, out var dropped);

        var peer = Assert.Single(refused.Peers);
        Assert.Equal(["100.64.0.1/32", "fd00::1/128", "198.18.77.0/24", "fd00:77::/64"], peer.AllowedIps);
        Assert.Equal(["203.0.113.0/24", "8.8.8.0/24", "2000::/3"], dropped.Select(d => d.Prefix.ToString()));
        Assert.All(dropped, d => Assert.Contains("is a public route, not accepted on this device", d.Message, StringComparison.Ordinal));
        Assert.Equal("203.0.113.0/24 via peer1 is a public route, not accepted on this device (`hamachi set --accept-routes` accepts public routes): route not installed",
            dropped[0].Message);

        var accepted = RouteAcceptance.Filter(map, acceptPublic: true, Underlay, out dropped);
        Assert.Same(map, accepted);
        Assert.Empty(dropped);
    }

    [Theory]
    [InlineData("192.0.2.0/24", "192.0.2.10 (the server)")]
    [InlineData("192.0.0.0/16", "192.0.2.10 (the server)")]
    [InlineData("198.18.0.0/24", "198.18.0.1 (the default gateway on eth0)")]
    [InlineData("198.18.0.0/16", "198.18.0.1 (the default gateway on eth0)")]
    public void A_prefix_covering_the_underlay_is_dropped_even_when_public_routes_are_accepted(string prefix, string covered)
    {
        var map = Maps.Map(1, Gateway(1, prefix, "198.18.77.0/24"));

        var filtered = RouteAcceptance.Filter(map, acceptPublic: true, Underlay, out var dropped);

        Assert.Equal(["100.64.0.1/32", "fd00::1/128", "198.18.77.0/24"], Assert.Single(filtered.Peers).AllowedIps);
        Assert.Equal($"{prefix} via peer1 covers {covered}, on this device's own path: route not installed", Assert.Single(dropped).Message);
    }

    [Fact]
    public void Relays_in_the_map_are_underlay_and_ipv4_mapped_addresses_count_as_ipv4()
    {
        var map = Maps.Map(1, Gateway(1, "203.0.113.0/24")) with
        {
            Relays = [new RelayInfo(Guid.NewGuid(), "eu-1", "eu", ["203.0.113.7:3478"], ["[2001:db8::7]:3479"], "wss://198.51.100.7/relay")],
        };
        var relays = RouteAcceptance.Relays(map).ToList();
        Assert.Equal(["203.0.113.7", "2001:db8::7", "198.51.100.7"], relays.Select(r => r.Address.ToString()));

        RouteAcceptance.Filter(map, acceptPublic: true, relays, out var dropped);
        Assert.Contains("covers 203.0.113.7 (relay eu-1)", Assert.Single(dropped).Message, StringComparison.Ordinal);
        Assert.NotNull(RouteAcceptance.Refusal(IPNetwork.Parse("198.18.0.0/24"), true, [new(IPAddress.Parse("::ffff:198.18.0.9"), "a peer's endpoint in use")]));
    }

    [Fact]
    public void Host_entries_are_never_dropped_even_when_the_overlay_looks_public_or_covers_nothing()
    {
        var peer = Maps.Peer(1) with { IPv4 = "203.0.113.5", AllowedIps = ["203.0.113.5/32", "fd00::1/128"] };
        var filtered = RouteAcceptance.Filter(Maps.Map(1, peer), acceptPublic: false, [new(IPAddress.Parse("203.0.113.5"), "a peer's endpoint in use")], out var dropped);
        Assert.Equal(["203.0.113.5/32", "fd00::1/128"], Assert.Single(filtered.Peers).AllowedIps);
        Assert.Empty(dropped);
    }

    private static PeerInfo Gateway(int n, params string[] prefixes)
    {
        var peer = Maps.Peer(n, true, $"198.18.0.{n + 10}:41641");
        return peer with { AllowedIps = [.. peer.AllowedIps, .. prefixes] };
    }
}
