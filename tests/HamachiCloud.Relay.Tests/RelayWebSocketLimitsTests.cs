using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Relay;
using Xunit.Abstractions;

namespace HamachiCloud.Relay.Tests;

/// <summary>
/// Issue 12 item 11, on the real relay process: unauthenticated WebSockets (about 170 kB each) are capped per client
/// address and in total before the upgrade (429 / 503 with Retry-After), a connection that makes no binding in
/// <c>Relay:WebSocketBindSeconds</c> is closed while a bound one stays, and <c>/counters</c> answers only with its token.
/// </summary>
public sealed class RelayWebSocketLimitsTests(ITestOutputHelper output)
{
    private static readonly IPAddress First = IPAddress.Parse("127.0.0.11");
    private static readonly IPAddress Second = IPAddress.Parse("127.0.0.12");
    private static readonly IPAddress Third = IPAddress.Parse("127.0.0.13");

    [Fact]
    public async Task Websockets_are_capped_per_address_and_in_total_and_idle_ones_are_closed_before_a_bind()
    {
        using var issuer = SigningKey.Generate();
        var relayId = Guid.NewGuid();
        var udpPort = RelayProcess.FreeUdpPort(IPAddress.Loopback, 2);
        var httpPort = RelayProcess.FreeTcpPort();
        using var relay = await RelayProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Relay:Id"] = relayId.ToString(),
                ["Relay:ListenAddress"] = "127.0.0.1",
                ["Relay:Port"] = udpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Relay:AlternatePort"] = "0",
                ["Relay:ServerIdentityKey"] = issuer.PublicKey.ToBase64(),
                ["Relay:MaxWebSockets"] = "5",
                ["Relay:MaxWebSocketsPerAddress"] = "3",
                ["Relay:WebSocketBindSeconds"] = "3",
            },
            "127.0.0.1",
            httpPort);
        var url = new Uri($"ws://127.0.0.1:{httpPort}{Hosting.WebSocketRelay.Path}");
        var open = new List<WebSocketRelayClient>();
        try
        {
            // One client that binds at once: it must outlive the idle deadline.
            var bound = await WebSocketRelayClient.ConnectFromAsync(url, RelayTestClients.NewNodeKey(), First, null);
            open.Add(bound);
            await bound.BindOkAsync(new RelayToken(relayId, bound.Key, RelayTestClients.NewKey(), TimeProvider.System.GetUtcNow().AddMinutes(10), 0).ToBytes(issuer));
            open.Add(await WebSocketRelayClient.ConnectFromAsync(url, RelayTestClients.NewNodeKey(), First, null));
            open.Add(await WebSocketRelayClient.ConnectFromAsync(url, RelayTestClients.NewNodeKey(), First, null));

            var perAddress = await RefusedAsync(url, First);
            output.WriteLine($"4th from {First}: {perAddress.Status} Retry-After {perAddress.RetryAfter}");
            Assert.Equal((HttpStatusCode.TooManyRequests, true), (perAddress.Status, perAddress.RetryAfter is not null));

            open.Add(await WebSocketRelayClient.ConnectFromAsync(url, RelayTestClients.NewNodeKey(), Second, null));
            open.Add(await WebSocketRelayClient.ConnectFromAsync(url, RelayTestClients.NewNodeKey(), Second, null));
            var total = await RefusedAsync(url, Third);
            output.WriteLine($"6th in total, from {Third}: {total.Status} Retry-After {total.RetryAfter}");
            Assert.Equal((HttpStatusCode.ServiceUnavailable, true), (total.Status, total.RetryAfter is not null));

            // The four that never bound are closed after 3 s; the bound one stays open.
            foreach (var idle in open.Skip(1))
            {
                Assert.True(await idle.ClosedWithinAsync(TimeSpan.FromSeconds(15)), "an idle WebSocket without a binding was closed");
            }

            Assert.False(await bound.ClosedWithinAsync(TimeSpan.FromSeconds(1)), "the bound WebSocket stays open");

            // Their places are free again.
            open.Add(await WebSocketRelayClient.ConnectFromAsync(url, RelayTestClients.NewNodeKey(), Third, null));

            var counters = (await relay.CountersAsync()).GetProperty("webSockets");
            output.WriteLine($"webSockets counters: {counters}");
            Assert.Equal(1, counters.GetProperty("refusedPerAddress").GetInt64());
            Assert.Equal(1, counters.GetProperty("refusedTotal").GetInt64());
            Assert.Equal(4, counters.GetProperty("closedBeforeBind").GetInt64());
            Assert.Equal(2, counters.GetProperty("open").GetInt64());
        }
        finally
        {
            foreach (var client in open)
            {
                await client.DisposeAsync();
            }

            output.WriteLine(relay.Output);
        }
    }

    [Fact]
    public async Task Counters_need_the_token_and_loopback_is_enough_only_without_one()
    {
        using var issuer = SigningKey.Generate();
        var settings = new Dictionary<string, string>
        {
            ["Relay:Id"] = Guid.NewGuid().ToString(),
            ["Relay:ListenAddress"] = "127.0.0.1",
            ["Relay:Port"] = RelayProcess.FreeUdpPort(IPAddress.Loopback, 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Relay:AlternatePort"] = "0",
            ["Relay:ServerIdentityKey"] = issuer.PublicKey.ToBase64(),
        };
        var httpPort = RelayProcess.FreeTcpPort();
        using (var relay = await RelayProcess.StartAsync(settings, "127.0.0.1", httpPort))
        {
            using var anonymous = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/counters", UriKind.Relative))).StatusCode);
            anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-counters-token");
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/counters", UriKind.Relative))).StatusCode);
            Assert.Equal(0, (await relay.CountersAsync()).GetProperty("bindings").GetInt64());
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
        }

        // No token and no registration secret: loopback callers only (the relay listens on 127.0.0.1 here, so a
        // caller from 127.0.0.11 is still loopback; what is refused is any non-loopback peer, which this host cannot fake).
        settings["Relay:CountersToken"] = "";
        httpPort = RelayProcess.FreeTcpPort();
        using (var relay = await RelayProcess.StartAsync(settings, "127.0.0.1", httpPort))
        {
            using var local = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
            Assert.Equal(HttpStatusCode.OK, (await local.GetAsync(new Uri("/counters", UriKind.Relative))).StatusCode);
        }
    }

    private static async Task<(HttpStatusCode Status, string? RetryAfter)> RefusedAsync(Uri url, IPAddress from)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancel) =>
            {
                var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                s.Bind(new IPEndPoint(from, 0));
                await s.ConnectAsync(context.DnsEndPoint, cancel);
                return new System.Net.Sockets.NetworkStream(s, ownsSocket: true);
            },
        };
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(url, invoker, CancellationToken.None));
        var retryAfter = socket.HttpResponseHeaders?.TryGetValue("Retry-After", out var values) == true ? string.Join(",", values) : null;
        var status = socket.HttpStatusCode;
        socket.Dispose();
        return (status, retryAfter);
    }
}
