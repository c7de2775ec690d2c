using HamachiCloud.Agent.Commands;
using HamachiCloud.Agent.Config;

namespace HamachiCloud.Integration.Tests.Cli;

public sealed class InterfaceSettingsTests
{
    [Fact]
    public void Routes_cover_allowed_ips_outside_the_address_prefixes_but_never_default()
    {
        var config = ConfigParser.Parse("r.conf", """
            [Interface]
            PrivateKey = QImjU8uSNMOcsxlm+Rs4aqQ1VxxhB6RLSHg2j63zEHM=
            Address = 100.64.0.1/10
            MTU = 1380
            [Peer]
            PublicKey = Jfg1oyDqvnmuygY4/jk0O/UFuAgod+uWtXcxFJsVV3g=
            AllowedIPs = 100.64.0.2/32, 10.20.0.0/16, 0.0.0.0/0
            [Peer]
            PublicKey = eliBHVNRySi5b/HfRwMpT7byr6DUD/xxZzPa+XYXYTU=
            AllowedIPs = 10.20.0.0/16, 192.168.7.0/24
            """);

        var settings = UpCommand.Settings(config, 1380);

        Assert.Equal(1380, settings.Mtu);
        Assert.Equal(["100.64.0.1/10"], settings.Addresses.Select(a => a.ToString()));
        Assert.Equal(["10.20.0.0/16", "192.168.7.0/24"], settings.Routes.Select(r => r.ToString()));
        Assert.True(settings.RouteMulticast);
    }

    [Fact]
    public void Device_config_takes_the_first_IPv4_address_for_the_subnet_broadcast()
    {
        var config = ConfigParser.Parse("d.conf", """
            [Interface]
            PrivateKey = QImjU8uSNMOcsxlm+Rs4aqQ1VxxhB6RLSHg2j63zEHM=
            Address = fd7a::1/48, 100.64.0.9/10
            [Peer]
            PublicKey = Jfg1oyDqvnmuygY4/jk0O/UFuAgod+uWtXcxFJsVV3g=
            PresharedKey = 3Yqi8YcFGvlW2Ctu/U/eDp7m1VGz78HLiM+6yVNskwU=
            Endpoint = 198.18.0.12:51820
            AllowedIPs = 100.64.0.2/32
            PersistentKeepalive = 15
            """);

        var device = AgentComposition.ToDeviceConfig(config);

        Assert.Equal("100.64.0.9", device.Address!.ToString());
        Assert.Equal(10, device.PrefixLength);
        var peer = Assert.Single(device.Peers);
        Assert.Equal("Jfg1oyDqvnmuygY4/jk0O/UFuAgod+uWtXcxFJsVV3g=", peer.PublicKey.ToBase64());
        Assert.NotNull(peer.PresharedKey);
        Assert.Equal("198.18.0.12:51820", peer.Endpoint!.ToString());
        Assert.Equal(TimeSpan.FromSeconds(15), peer.PersistentKeepalive);
    }
}
