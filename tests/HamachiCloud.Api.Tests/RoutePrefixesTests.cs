using System.Net;
using HamachiCloud.Api.Routes;
using HamachiCloud.Protocol.Routing;

namespace HamachiCloud.Api.Tests;

/// <summary>The pure check of advertised LAN prefixes.</summary>
public sealed class RoutePrefixesTests
{
    private static readonly IPNetwork[] Overlays = [IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("fd48:616d:6163::/48")];
    private static readonly RouteOptions Limits = new();

    [Theory]
    [InlineData("198.18.77.0/24")]
    [InlineData("198.18.77.9/32")]
    [InlineData("10.0.0.0/8")]
    [InlineData("172.16.0.0/12")]
    [InlineData("192.168.1.0/24")]
    [InlineData("fd00:1::/64")]
    [InlineData("fd00::/16")]
    public void Private_lan_prefixes_are_accepted_as_they_are_in_any_network(string text)
    {
        Assert.Equal(text, RoutePrefixes.Check(text, Overlays, Limits, allowPublic: false, out var error)?.ToString());
        Assert.Null(error);
    }

    [Theory]
    [InlineData("192.0.2.0/24")]
    [InlineData("203.0.113.0/24")]
    [InlineData("8.8.8.0/24")]
    [InlineData("1.0.0.0/16")]
    [InlineData("2001:db8:77::/64")]
    [InlineData("2001:db8::/32")]
    public void Public_prefixes_are_accepted_only_where_the_network_allows_public_routes(string text)
    {
        Assert.Equal(text, RoutePrefixes.Check(text, Overlays, Limits, allowPublic: true, out var error)?.ToString());
        Assert.Null(error);
        Assert.Null(RoutePrefixes.Check(text, Overlays, Limits, allowPublic: false, out error));
        Assert.Contains($"'{text}' is a public prefix", error, StringComparison.Ordinal);
        Assert.Contains("does not allow public routes", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8.8.8.0/24", false)] // the issue's probes: refused outright in a network without public routes
    [InlineData("1.0.0.0/8", true)]
    [InlineData("32.0.0.0/3", true)]
    [InlineData("2000::/3", true)]
    [InlineData("2001:db8::/31", true)]
    [InlineData("203.0.0.0/15", true)]
    public void The_issues_capture_prefixes_are_refused_even_where_public_routes_are_allowed_when_too_wide(string text, bool tooWideWhenAllowed)
    {
        Assert.Null(RoutePrefixes.Check(text, Overlays, Limits, allowPublic: false, out _));
        var allowed = RoutePrefixes.Check(text, Overlays, Limits, allowPublic: true, out var error);
        Assert.Equal(tooWideWhenAllowed, allowed is null);
        if (tooWideWhenAllowed)
        {
            Assert.Contains("the widest public", error, StringComparison.Ordinal);
            Assert.Contains("Routes:MinPublicPrefixLength", error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("fd00::/15", "wider than /16, the widest private IPv6 route")]
    [InlineData("10.0.0.0/8", null)]
    public void Private_prefixes_are_capped_too(string text, string? reason)
    {
        var result = RoutePrefixes.Check(text, Overlays, Limits, allowPublic: true, out var error);
        Assert.Equal(reason is null, result is not null);
        if (reason is not null)
        {
            Assert.Contains(reason, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_caps_are_configurable()
    {
        var strict = new RouteOptions { MinPrivatePrefixLengthV4 = 16, MinPublicPrefixLengthV4 = 24 };
        Assert.Null(RoutePrefixes.Check("10.0.0.0/8", Overlays, strict, allowPublic: false, out var error));
        Assert.Contains("wider than /16", error, StringComparison.Ordinal);
        Assert.Null(RoutePrefixes.Check("203.0.112.0/23", Overlays, strict, allowPublic: true, out error));
        Assert.Contains("wider than /24", error, StringComparison.Ordinal);
        Assert.NotNull(RoutePrefixes.Check("203.0.113.0/24", Overlays, strict, allowPublic: true, out _));
    }

    [Theory]
    [InlineData("10.1.0.0/16", false)]
    [InlineData("172.16.0.0/12", false)]
    [InlineData("172.32.0.0/16", true)] // just outside 172.16.0.0/12
    [InlineData("172.0.0.0/8", true)] // straddles a private range: public
    [InlineData("192.168.0.0/16", false)]
    [InlineData("192.169.0.0/16", true)]
    [InlineData("100.64.0.0/10", false)]
    [InlineData("100.128.0.0/10", true)]
    [InlineData("198.18.0.0/15", false)]
    [InlineData("198.20.0.0/16", true)]
    [InlineData("203.0.113.0/24", true)]
    [InlineData("8.8.8.8/32", true)]
    [InlineData("fd12:3456::/32", false)]
    [InlineData("fc00::/7", false)]
    [InlineData("fe00::/7", true)]
    [InlineData("2001:db8::/32", true)]
    [InlineData("64:ff9b::/96", true)]
    public void Scope_is_private_only_wholly_inside_a_private_range(string text, bool isPublic)
    {
        Assert.Equal(isPublic, RouteScope.IsPublic(IPNetwork.Parse(text)));
        Assert.Equal(isPublic, RouteScope.IsPublic(text));
    }

    [Fact]
    public void Unparsable_text_counts_as_public() => Assert.True(RouteScope.IsPublic("not a prefix"));

    [Theory]
    [InlineData("198.18.77.5/24", "host bits set; the network is 198.18.77.0/24")]
    [InlineData("2001:db8:77::1/64", "host bits set; the network is 2001:db8:77::/64")]
    [InlineData("100.64.3.0/24", "overlaps the overlay address pool 100.64.0.0/10")]
    [InlineData("100.0.0.0/8", "overlaps the overlay address pool 100.64.0.0/10")]
    [InlineData("fd48:616d:6163:1::/64", "overlaps the overlay address pool fd48:616d:6163::/48")]
    [InlineData("0.0.0.0/0", "overlaps")]
    [InlineData("0.0.0.0/1", "overlaps")]
    [InlineData("0.0.0.0/24", "this-network")]
    [InlineData("128.0.0.0/1", "link-local")]
    [InlineData("::/0", "overlaps")]
    [InlineData("127.0.0.0/8", "loopback")]
    [InlineData("169.254.1.0/24", "link-local")]
    [InlineData("224.0.0.0/24", "multicast")]
    [InlineData("255.255.255.255/32", "multicast and reserved")]
    [InlineData("::ffff:198.18.77.0/120", "IPv4-mapped")]
    [InlineData("fe80::/64", "link-local")]
    [InlineData("ff02::/16", "multicast")]
    [InlineData("198.18.77.0/33", "longer than 32")]
    [InlineData("198.18.77.0", "not a CIDR")]
    [InlineData("198.18/16", "not a CIDR")]
    [InlineData("lan", "not a CIDR")]
    [InlineData("198.18.77.0/+24", "not a CIDR")]
    [InlineData("fe80::1%2/64", "not a CIDR")]
    [InlineData("", "not a CIDR")]
    [InlineData(null, "not a CIDR")]
    public void Anything_else_is_refused_with_a_reason(string? text, string reason)
    {
        Assert.Null(RoutePrefixes.Check(text, Overlays, Limits, allowPublic: true, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("198.18.0.0/16", "198.18.77.0/24", true)]
    [InlineData("198.18.77.0/24", "198.18.0.0/16", true)]
    [InlineData("198.18.77.0/24", "198.18.77.0/24", true)]
    [InlineData("198.18.77.0/24", "198.18.78.0/24", false)]
    [InlineData("198.18.77.0/24", "2001:db8::/32", false)]
    public void Overlap_means_one_contains_the_other(string a, string b, bool overlap) =>
        Assert.Equal(overlap, RoutePrefixes.Overlap(IPNetwork.Parse(a), IPNetwork.Parse(b)));
}
