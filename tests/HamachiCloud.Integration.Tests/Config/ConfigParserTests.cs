using System.Net;
using HamachiCloud.Agent.Config;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Integration.Tests.Config;

public sealed class ConfigParserTests
{
    // Fixed keys (wg genkey / wg pubkey output) so the file texts below are literal.
    private const string PrivateKey = "QImjU8uSNMOcsxlm+Rs4aqQ1VxxhB6RLSHg2j63zEHM=";
    private const string PeerKey = "Jfg1oyDqvnmuygY4/jk0O/UFuAgod+uWtXcxFJsVV3g=";
    private const string OtherPeerKey = "eliBHVNRySi5b/HfRwMpT7byr6DUD/xxZzPa+XYXYTU=";
    private const string Psk = "3Yqi8YcFGvlW2Ctu/U/eDp7m1VGz78HLiM+6yVNskwU=";

    [Fact]
    public void Parses_a_full_file_with_comments_case_insensitive_keys_and_lists()
    {
        var config = ConfigParser.Parse("good.conf", $"""
            # a comment line
            [interface]
            privatekey = {PrivateKey}   # trailing comment
            Address = 100.64.0.1/10, fd7a:115c:a1e0::1/48
            ADDRESS = 100.100.0.1/16
            ListenPort = 51820
            MTU = 1380

            [Peer]
            PublicKey = {PeerKey}
            PresharedKey = {Psk}
            Endpoint = 198.18.0.2:51821
            AllowedIPs = 100.64.0.2/32, 10.9.0.7/24
            AllowedIPs = fd7a:115c:a1e0::2/128
            PersistentKeepalive = 25

            [Peer]
            PublicKey = {OtherPeerKey}
            Endpoint = [fd00::2]:51820
            PersistentKeepalive = off
            """);

        Assert.Equal(NodePrivateKey.TryParseBase64(PrivateKey, out var key) ? key!.PublicKey : null, config.Interface.PrivateKey.PublicKey);
        Assert.Equal(["100.64.0.1/10", "fd7a:115c:a1e0::1/48", "100.100.0.1/16"], config.Interface.Addresses.Select(a => a.ToString()));
        Assert.Equal((ushort)51820, config.Interface.ListenPort);
        Assert.Equal(1380, config.Interface.Mtu);
        Assert.Equal(2, config.Peers.Count);
        var first = config.Peers[0];
        Assert.Equal(PeerKey, first.PublicKey.ToBase64());
        Assert.Equal(Psk, first.PresharedKey!.ToBase64());
        Assert.Equal(IPEndPoint.Parse("198.18.0.2:51821"), first.Endpoint);
        Assert.Equal(["100.64.0.2/32", "10.9.0.0/24", "fd7a:115c:a1e0::2/128"], first.AllowedIps.Select(p => p.ToString()));
        Assert.Equal(TimeSpan.FromSeconds(25), first.PersistentKeepalive);
        Assert.Equal(IPEndPoint.Parse("[fd00::2]:51820"), config.Peers[1].Endpoint);
        Assert.Null(config.Peers[1].PersistentKeepalive);
        Assert.Empty(config.Peers[1].AllowedIps);
    }

    [Fact]
    public void Minimal_file_has_defaults()
    {
        var config = ConfigParser.Parse("min.conf", $"[Interface]\nPrivateKey = {PrivateKey}\n");
        Assert.Empty(config.Interface.Addresses);
        Assert.Null(config.Interface.ListenPort);
        Assert.Null(config.Interface.Mtu);
        Assert.Empty(config.Peers);
    }

    [Fact]
    public void Windows_line_endings_are_fine()
    {
        var config = ConfigParser.Parse("crlf.conf", $"[Interface]\r\nPrivateKey = {PrivateKey}\r\nAddress = 100.64.0.1/10\r\n");
        Assert.Single(config.Interface.Addresses);
    }

    public static TheoryData<string, string, int, string, string> BadFiles => new()
    {
        // name, body after the [Interface] line with the PrivateKey (lines 1-2), expected line, key, reason fragment
        { "unknown interface key", "Adress = 100.64.0.1/10", 3, "Adress", "unknown key in [Interface]" },
        { "unknown peer key", $"[Peer]\nPublicKey = {PeerKey}\nAllowedIP = 100.64.0.2/32", 5, "AllowedIP", "unknown key in [Peer]" },
        { "wg-quick only key", "DNS = 1.1.1.1", 3, "DNS", "does not support" },
        { "PostUp", "PostUp = iptables -A FORWARD", 3, "PostUp", "does not support" },
        { "bad public key base64", $"[Peer]\nPublicKey = not-base64!!", 4, "PublicKey", "not a WireGuard key" },
        { "public key too short", $"[Peer]\nPublicKey = AAAA", 4, "PublicKey", "not a WireGuard key" },
        { "bad preshared key", $"[Peer]\nPublicKey = {PeerKey}\nPresharedKey = abc", 5, "PresharedKey", "not a WireGuard key" },
        { "bad address", "Address = 100.64.0.300/10", 3, "Address", "not an address with prefix" },
        { "prefix too long", "Address = 100.64.0.1/33", 3, "Address", "not an address with prefix" },
        { "address listed twice", "Address = 100.64.0.1/10, 100.64.0.1/10", 3, "Address", "listed twice" },
        { "empty list item", "Address = 100.64.0.1/10,,", 3, "Address", "empty item" },
        { "bad allowed ips", $"[Peer]\nPublicKey = {PeerKey}\nAllowedIPs = 100.64.0.0/99", 5, "AllowedIPs", "not a CIDR prefix" },
        { "allowed ips not an address", $"[Peer]\nPublicKey = {PeerKey}\nAllowedIPs = everything", 5, "AllowedIPs", "not a CIDR prefix" },
        { "endpoint without port", $"[Peer]\nPublicKey = {PeerKey}\nEndpoint = 198.18.0.2", 5, "Endpoint", "no :port" },
        { "endpoint port too big", $"[Peer]\nPublicKey = {PeerKey}\nEndpoint = 198.18.0.2:70000", 5, "Endpoint", "not a port" },
        { "endpoint port zero", $"[Peer]\nPublicKey = {PeerKey}\nEndpoint = 198.18.0.2:0", 5, "Endpoint", "not a port" },
        { "endpoint ipv6 without brackets", $"[Peer]\nPublicKey = {PeerKey}\nEndpoint = fd00::2:51820", 5, "Endpoint", "needs brackets" },
        { "endpoint unclosed bracket", $"[Peer]\nPublicKey = {PeerKey}\nEndpoint = [fd00::2:51820", 5, "Endpoint", "[IPv6]:port" },
        { "endpoint bad host", $"[Peer]\nPublicKey = {PeerKey}\nEndpoint = bad_host!:51820", 5, "Endpoint", "neither an IP address nor a host name" },
        { "bad listen port", "ListenPort = 65536", 3, "ListenPort", "not a port" },
        { "negative listen port", "ListenPort = -1", 3, "ListenPort", "not a port" },
        { "mtu too small", "MTU = 100", 3, "MTU", "not an MTU" },
        { "mtu not a number", "MTU = big", 3, "MTU", "not an MTU" },
        { "ipv6 with a small mtu", "Address = fd00::1/64\nMTU = 1000", 4, "MTU", "IPv6 minimum" },
        { "bad keepalive", $"[Peer]\nPublicKey = {PeerKey}\nPersistentKeepalive = soon", 5, "PersistentKeepalive", "number of seconds" },
        { "duplicate peer", $"[Peer]\nPublicKey = {PeerKey}\n[Peer]\nPublicKey = {PeerKey}", 6, "PublicKey", "duplicate peer" },
        { "peer is ourselves", $"[Peer]\nPublicKey = {OwnPublicKey()}", 4, "PublicKey", "own public key" },
        { "peer without public key", "[Peer]\nAllowedIPs = 100.64.0.2/32", 3, "PublicKey", "missing in [Peer]" },
        { "key given twice", "ListenPort = 1\nListenPort = 2", 4, "ListenPort", "given twice" },
        { "private key twice", $"PrivateKey = {PrivateKey}", 3, "PrivateKey", "given twice" },
        { "second interface section", "[Interface]", 3, "[Interface]", "second [Interface]" },
        { "unknown section", "[Peers]", 3, "[Peers]", "unknown section" },
        { "unclosed section", "[Peer", 3, "[Peer", "without ']'" },
        { "line without equals", "ListenPort 51820", 3, "ListenPort 51820", "expected 'Key = Value'" },
        { "empty value", "MTU =", 3, "MTU", "empty value" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_file_names_file_line_key_and_reason(string name, string body, int line, string key, string reason)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigParser.Parse("bad.conf", $"[Interface]\nPrivateKey = {PrivateKey}\n{body}\n"));
        Assert.True(e.Message.StartsWith($"bad.conf:{line}: key '{key}': ", StringComparison.Ordinal), $"{name}: {e.Message}");
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 1, "no [Interface] section")]
    [InlineData("# only a comment\n", 2, "no [Interface] section")]
    [InlineData("[Interface]\nAddress = 100.64.0.1/10\n", 1, "missing in [Interface]")]
    [InlineData("\n\n[Interface]\nListenPort = 1\n", 3, "missing in [Interface]")]
    [InlineData("[Interface]\nPrivateKey = QImjU8uSNMOcsxlm+Rs4aqQ1VxxhB6RLSHg2j63zEH=\n", 2, "not a WireGuard key")]
    public void Missing_or_bad_private_key_is_named(string text, int line, string reason)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigParser.Parse("k.conf", text));
        Assert.StartsWith($"k.conf:{line}: key 'PrivateKey': ", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_outside_a_section_is_named()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigParser.Parse("o.conf", $"PrivateKey = {PrivateKey}\n[Interface]\n"));
        Assert.StartsWith("o.conf:1: key 'PrivateKey': outside a section", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_named()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigParser.ParseFile("/nonexistent/hamachi.conf"));
        Assert.StartsWith("/nonexistent/hamachi.conf: cannot read", e.Message, StringComparison.Ordinal);
    }

    private static string OwnPublicKey() => NodePrivateKey.TryParseBase64(PrivateKey, out var key) ? key!.PublicKey.ToBase64() : "";
}
