using System.Net;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Relay;
using Xunit.Abstractions;

namespace HamachiCloud.Relay.Tests;

/// <summary>
/// The real relay process on loopback, standalone (configured server key and bans), with its WebSocket behind a
/// "proxy": WebSocket clients connect from chosen 127.0.0.x addresses, so the relay's direct peer is a listed proxy
/// or not, and send X-Forwarded-For in the upgrade request. Bans must apply to the forwarded client only when the
/// peer is listed in Relay:KnownProxies / Relay:KnownNetworks. Also: relay frames on an alternate STUN socket are
/// dropped and counted as not_relay_socket; bad proxy keys stop the start naming the key.
/// </summary>
public sealed class RelayForwardedHeadersTests(ITestOutputHelper output)
{
    private const string BannedClient = "198.51.100.7";
    private const string OtherClient = "203.0.113.5";
    private static readonly IPAddress Proxy = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress ProxyInNetwork = IPAddress.Parse("127.0.1.9");
    private static readonly IPAddress NotAProxy = IPAddress.Parse("127.0.0.3");
    private static readonly IPAddress BannedPeer = IPAddress.Parse("127.0.0.66");

    private sealed record Relay(RelayProcess Process, SigningKey Issuer, Guid Id, IPEndPoint Udp, Uri WebSocket) : IDisposable
    {
        public byte[] Token(NodeKey from, NodeKey to) =>
            new RelayToken(Id, from, to, TimeProvider.System.GetUtcNow().AddMinutes(10), 0).ToBytes(Issuer);

        public void Dispose()
        {
            Process.Dispose();
            Issuer.Dispose();
        }
    }

    private static async Task<Relay> StartAsync(params (string Key, string Value)[] extra)
    {
        var issuer = SigningKey.Generate();
        var id = Guid.NewGuid();
        var udpPort = RelayProcess.FreeUdpPort(IPAddress.Loopback, 2);
        var httpPort = RelayProcess.FreeTcpPort();
        var settings = new Dictionary<string, string>
        {
            ["Relay:Id"] = id.ToString(),
            ["Relay:ListenAddress"] = "127.0.0.1",
            ["Relay:Port"] = udpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Relay:AlternatePort"] = (udpPort + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Relay:ServerIdentityKey"] = issuer.PublicKey.ToBase64(),
            ["Relay:BannedRanges:0"] = "198.51.100.0/24",
            ["Relay:BannedRanges:1"] = "127.0.0.66/32",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var process = await RelayProcess.StartAsync(settings, "127.0.0.1", httpPort);
        return new Relay(process, issuer, id, new IPEndPoint(IPAddress.Loopback, udpPort), new Uri($"ws://127.0.0.1:{httpPort}{Hosting.WebSocketRelay.Path}"));
    }

    /// <summary>A WebSocket client from <paramref name="peer"/> (forwarding <paramref name="forwardedFor"/>) binds; the answer must be BindOk or Refused(Banned).</summary>
    private async Task AssertBindAsync(Relay relay, IPAddress peer, string? forwardedFor, bool banned, string because)
    {
        await using var client = await WebSocketRelayClient.ConnectFromAsync(relay.WebSocket, RelayTestClients.NewNodeKey(), peer, forwardedFor);
        var token = relay.Token(client.Key, RelayTestClients.NewKey());
        output.WriteLine($"peer {peer}, X-Forwarded-For {forwardedFor ?? "(none)"}: expect {(banned ? "banned" : "BindOk")} ({because})");
        if (banned)
        {
            await client.SendAsync(RelayTestClients.Bind(token));
            await client.ExpectRefusedAsync(RelayRefusal.Banned);
        }
        else
        {
            await client.BindOkAsync(token);
        }
    }

    [Fact]
    public async Task A_listed_proxy_forwards_the_websocket_client_address_to_the_ban_check()
    {
        using var relay = await StartAsync(("Relay:KnownProxies:0", Proxy.ToString()), ("Relay:KnownNetworks:0", "127.0.1.0/24"));
        try
        {
            await AssertBindAsync(relay, Proxy, BannedClient, banned: true, "a listed proxy forwarding a banned client");
            await AssertBindAsync(relay, ProxyInNetwork, BannedClient, banned: true, "a proxy inside a listed network forwarding a banned client");
            await AssertBindAsync(relay, Proxy, OtherClient, banned: false, "a listed proxy forwarding another client");
            await AssertBindAsync(relay, Proxy, null, banned: false, "the proxy's own connection");

            // One hop: the entry the proxy appended (rightmost) is the client; what the client sent before it is not trusted.
            await AssertBindAsync(relay, Proxy, $"{OtherClient}, {BannedClient}", banned: true, "a banned client that sent its own X-Forwarded-For");
            await AssertBindAsync(relay, Proxy, $"{BannedClient}, {OtherClient}", banned: false, "a client claiming a banned address in its own header");

            // Only listed peers are believed: a spoofed header from anyone else is ignored, both ways.
            await AssertBindAsync(relay, NotAProxy, BannedClient, banned: false, "an unlisted peer claiming a banned address");
            await AssertBindAsync(relay, BannedPeer, OtherClient, banned: true, "a banned unlisted peer claiming another address");
            await AssertBindAsync(relay, IPAddress.Loopback, BannedClient, banned: false, "an unlisted loopback peer claiming a banned address");

            var counters = await relay.Process.CountersAsync();
            output.WriteLine($"counters: {counters}");
            Assert.Equal(4, await RelayProcess.DroppedAsync(counters, "banned"));
            Assert.Equal(5, counters.GetProperty("bindsAccepted").GetInt64());
        }
        finally
        {
            output.WriteLine(relay.Process.Output);
        }
    }

    [Fact]
    public async Task Without_proxy_keys_forwarded_headers_are_ignored_even_from_loopback()
    {
        using var relay = await StartAsync();
        try
        {
            await AssertBindAsync(relay, IPAddress.Loopback, BannedClient, banned: false, "loopback is not trusted by default");
            await AssertBindAsync(relay, Proxy, BannedClient, banned: false, "no peer is trusted by default");
            await AssertBindAsync(relay, BannedPeer, OtherClient, banned: true, "a banned peer claiming another address");
            Assert.DoesNotContain("is trusted from", relay.Process.Output, StringComparison.Ordinal); // the middleware is not even installed
        }
        finally
        {
            output.WriteLine(relay.Process.Output);
        }
    }

    // One bad value per key through the real process; every parsing rule is in ProxyTrustTests (Protocol).
    [Theory]
    [InlineData("Relay:KnownProxies:0", "10", "Relay:KnownProxies:0")]
    [InlineData("Relay:KnownNetworks:0", "192.0.2.1/24", "Relay:KnownNetworks:0")]
    [InlineData("Relay:ForwardLimit", "11", "Relay:ForwardLimit")]
    [InlineData("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "true", "ForwardedHeaders_Enabled")]
    public async Task Bad_proxy_settings_stop_the_start_naming_the_key(string key, string value, string named)
    {
        using var issuer = SigningKey.Generate();
        var port = RelayProcess.FreeUdpPort(IPAddress.Loopback, 2);
        var (code, text) = await RelayProcess.RunUntilExitAsync(
            new Dictionary<string, string>
            {
                ["Relay:Id"] = Guid.NewGuid().ToString(),
                ["Relay:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Relay:AlternatePort"] = (port + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Relay:ServerIdentityKey"] = issuer.PublicKey.ToBase64(),
                [key] = value,
            },
            TimeSpan.FromSeconds(60));
        output.WriteLine($"exit {code}: {text}");
        Assert.Equal(2, code);
        Assert.Contains(named, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_frames_on_an_alternate_stun_socket_are_dropped_and_counted_as_not_relay_socket()
    {
        using var relay = await StartAsync();
        try
        {
            var alternate = new IPEndPoint(IPAddress.Loopback, relay.Udp.Port + 1);
            await using var onAlternate = new UdpRelayClient(IPAddress.Loopback, alternate, RelayTestClients.NewNodeKey());
            await onAlternate.SendAsync(RelayTestClients.Bind(relay.Token(onAlternate.Key, RelayTestClients.NewKey())));
            await onAlternate.SendAsync(RelayTestClients.Send(RelayTestClients.NewKey(), [1, 2, 3]));
            Assert.Null(await onAlternate.ReceiveAsync(TimeSpan.FromSeconds(1))); // no answer from any socket

            await using var onPrimary = new UdpRelayClient(IPAddress.Loopback, relay.Udp, RelayTestClients.NewNodeKey());
            await onPrimary.BindOkAsync(relay.Token(onPrimary.Key, RelayTestClients.NewKey()));

            var counters = await relay.Process.CountersAsync();
            output.WriteLine($"counters: {counters}");
            Assert.Equal(2, await RelayProcess.DroppedAsync(counters, "not_relay_socket"));
            Assert.Equal(0, await RelayProcess.DroppedAsync(counters, "malformed"));
            Assert.Equal(1, counters.GetProperty("bindsAccepted").GetInt64());
        }
        finally
        {
            output.WriteLine(relay.Process.Output);
        }
    }
}
