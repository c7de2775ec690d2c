using System.Net;
using HamachiCloud.Api.Routes;

namespace HamachiCloud.Api.Tests;

/// <summary>The pure check of advertised LAN prefixes.</summary>
public sealed class RoutePrefixesTests
{
    private static readonly IPNetwork[] Overlays = [IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("fd48:616d:6163::/48")];

    [Theory]
    [InlineData("198.18.77.0/24")]
    [InlineData("192.0.2.0/24")]
    [InlineData("198.18.77.9/32")]
    [InlineData("2001:db8:77::/64")]
    [InlineData("fd00:1::/64")]
    public void Lan_prefixes_are_accepted_as_they_are(string text)
    {
        Assert.Equal(text, RoutePrefixes.Check(text, Overlays, out var error)?.ToString());
        Assert.Null(error);
    }

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
        Assert.Null(RoutePrefixes.Check(text, Overlays, out var error));
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
