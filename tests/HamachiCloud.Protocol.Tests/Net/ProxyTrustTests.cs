using System.Net;
using HamachiCloud.Protocol.Net;

namespace HamachiCloud.Protocol.Tests.Net;

/// <summary>The strict proxy-list rules shared by the Api (<c>Proxy:*</c>) and the relay (<c>Relay:*</c>).</summary>
public sealed class ProxyTrustTests
{
    [Theory]
    [InlineData("192.0.2.10", true)]
    [InlineData("2001:db8::10", true)]
    [InlineData("::1", true)]
    [InlineData("10", false)] // IPAddress.TryParse alone reads 0.0.0.10
    [InlineData("192.0.2", false)]
    [InlineData("192.0.2.300", false)]
    [InlineData("fe80::1%eth0", false)] // no scope ids
    [InlineData("192.0.2.0/24", false)]
    [InlineData(" ", false)]
    [InlineData(null, false)]
    public void Addresses_are_literal_and_strict(string? text, bool valid) =>
        Assert.Equal(valid, ProxyTrust.TryParseAddress(text, out _));

    [Theory]
    [InlineData("198.18.0.0/24", true)]
    [InlineData("2001:db8::/32", true)]
    [InlineData("192.0.2.1/24", false)] // host bits set: a typo, not 192.0.2.0/24
    [InlineData("192.0.2.0/33", false)]
    [InlineData("192.0.2.0", false)]
    [InlineData("10/8", false)]
    [InlineData("/24", false)]
    [InlineData(null, false)]
    public void Networks_are_cidr_with_host_bits_zero(string? text, bool valid) =>
        Assert.Equal(valid, ProxyTrust.TryParseNetwork(text, out _));

    [Fact]
    public void Validation_names_each_bad_key_with_its_index_under_the_given_section()
    {
        var failures = ProxyTrust.Validate("Relay", ["192.0.2.10", "10"], ["192.0.2.1/24"], 11);
        Assert.Equal(3, failures.Count);
        Assert.StartsWith("Relay:KnownProxies:1 '10'", failures[0], StringComparison.Ordinal);
        Assert.StartsWith("Relay:KnownNetworks:0 '192.0.2.1/24'", failures[1], StringComparison.Ordinal);
        Assert.StartsWith("Relay:ForwardLimit", failures[2], StringComparison.Ordinal);
        Assert.Empty(ProxyTrust.Validate("Proxy", [], [], 1));
        Assert.Single(ProxyTrust.Validate("Proxy", [], [], 0));
    }

    [Fact]
    public void Fill_replaces_the_defaults_with_the_listed_proxies_only()
    {
        var proxies = new List<IPAddress> { IPAddress.Loopback }; // like ASP.NET Core's default
        var networks = new List<IPNetwork> { IPNetwork.Parse("127.0.0.0/8") };
        ProxyTrust.Fill("Relay", ["192.0.2.10"], ["198.18.0.0/24"], proxies, networks);
        Assert.Equal([IPAddress.Parse("192.0.2.10")], proxies);
        Assert.Equal([IPNetwork.Parse("198.18.0.0/24")], networks);

        ProxyTrust.Fill("Relay", [], [], proxies, networks);
        Assert.Empty(proxies);
        Assert.Empty(networks);
        var e = Assert.Throws<InvalidOperationException>(() => ProxyTrust.Fill("Relay", ["10"], [], proxies, networks));
        Assert.Contains("Relay:KnownProxies", e.Message, StringComparison.Ordinal);
    }
}
