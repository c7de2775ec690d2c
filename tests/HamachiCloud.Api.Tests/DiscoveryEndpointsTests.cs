using System.Net;
using HamachiCloud.Api.ControlPlane;
using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// A device cannot put endpoints into its peers' maps that aim their handshakes elsewhere (issue 12,
/// item 11): only unicast addresses another host can reach, never this server's or the relays'.
/// </summary>
public sealed class DiscoveryEndpointsTests
{
    private static readonly IPAddress Observed = IPAddress.Parse("192.0.2.20");

    [Theory]
    [InlineData("127.0.0.1:53")]
    [InlineData("127.8.8.8:41641")]
    [InlineData("[::1]:41641")]
    [InlineData("0.0.0.0:41641")]
    [InlineData("0.1.2.3:41641")]
    [InlineData("255.255.255.255:41641")]
    [InlineData("224.0.0.251:5353")]
    [InlineData("239.255.255.250:1900")]
    [InlineData("240.0.0.1:41641")]
    [InlineData("[ff02::1]:41641")]
    [InlineData("[::]:41641")]
    [InlineData("198.18.0.5:0")]
    [InlineData("[::ffff:127.0.0.1]:41641")]
    public void Non_unicast_loopback_and_port_zero_candidates_are_dropped(string candidate)
    {
        var stored = DiscoveryEndpoints.From(new DiscoveryReport([candidate], 41641), null);
        Assert.Equal("", stored);
    }

    [Fact]
    public void The_servers_and_relays_addresses_are_dropped_and_real_ones_kept()
    {
        var forbidden = new HashSet<IPAddress> { IPAddress.Parse("203.0.113.1"), IPAddress.Parse("203.0.113.2") };
        var report = new DiscoveryReport(["203.0.113.1:3478", "203.0.113.2:53", "198.18.0.5:41641", "[2001:db8::5]:41641"], 41641,
            new NatReport("198.51.100.7:40000", true, false, true, false, false, null, null, null));
        var stored = DiscoveryEndpoints.From(report, Observed, forbidden).Split(' ');
        Assert.Equal(["198.51.100.7:40000", "192.0.2.20:41641", "198.18.0.5:41641", "[2001:db8::5]:41641"], stored);
    }
}
