using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Relay;
using Xunit.Abstractions;

namespace HamachiCloud.Relay.Tests;

/// <summary>
/// The per-token bandwidth cap, through the real relay process on loopback: a flow whose token carries 10 Mbit/s,
/// offered 20 Mbit/s, is delivered at 10 Mbit/s ± 10 % (measured after the 1 s burst is spent), while a neighbour
/// flow (another pair, 200 Mbit/s cap, offered 40 Mbit/s) keeps at least 90 % of what it gets alone.
/// Rates count relay frame bytes (what the token bucket meters).
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class RelayBandwidthTests(ITestOutputHelper output)
{
    private const int Datagram = 1200;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Measure = TimeSpan.FromSeconds(4);

    [SkippableFact]
    public async Task A_capped_flow_stays_within_ten_percent_of_its_cap_and_the_neighbour_keeps_its_rate()
    {
        using var issuer = SigningKey.Generate();
        var relayId = Guid.NewGuid();
        var udpPort = RelayProcess.FreeUdpPort(IPAddress.Loopback, 2);
        using var relay = await RelayProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Relay:Id"] = relayId.ToString(),
                ["Relay:ListenAddress"] = "127.0.0.1",
                ["Relay:Port"] = udpPort.ToString(),
                ["Relay:AlternatePort"] = (udpPort + 1).ToString(),
                ["Relay:ServerIdentityKey"] = issuer.PublicKey.ToBase64(),
                ["Logging:LogLevel:Default"] = "Warning",
            },
            "127.0.0.1",
            RelayProcess.FreeTcpPort());
        var endpoint = new IPEndPoint(IPAddress.Loopback, udpPort);
        var expires = TimeProvider.System.GetUtcNow().AddMinutes(10);

        async Task<(UdpRelayClient From, UdpRelayClient To)> Pair(long bitsPerSecond)
        {
            var a = new UdpRelayClient(IPAddress.Loopback, endpoint, RelayTestClients.NewNodeKey());
            var b = new UdpRelayClient(IPAddress.Loopback, endpoint, RelayTestClients.NewNodeKey());
            await a.BindOkAsync(new RelayToken(relayId, a.Key, b.Key, expires, bitsPerSecond).ToBytes(issuer));
            await b.BindOkAsync(new RelayToken(relayId, b.Key, a.Key, expires, bitsPerSecond).ToBytes(issuer));
            return (a, b);
        }

        var capped = await Pair(10_000_000);
        var neighbour = await Pair(200_000_000);
        try
        {
            var alone = (await Task.WhenAll(Flow(neighbour.From, neighbour.To, 40_000_000)))[0];
            var together = await Task.WhenAll(Flow(capped.From, capped.To, 20_000_000), Flow(neighbour.From, neighbour.To, 40_000_000));
            var cappedRate = together[0];
            var neighbourRate = together[1];
            output.WriteLine($"capped flow (cap 10.00 Mbit/s, offered 20 Mbit/s): delivered {cappedRate / 1e6:0.00} Mbit/s ({cappedRate / 10e6:0.0%} of the cap)");
            output.WriteLine($"neighbour flow (cap 200 Mbit/s, offered 40 Mbit/s): alone {alone / 1e6:0.00} Mbit/s, next to the capped flow {neighbourRate / 1e6:0.00} Mbit/s ({neighbourRate / alone:0.0%} of alone)");
            output.WriteLine($"relay counters: {await relay.CountersAsync()}");
            Assert.InRange(cappedRate, 9_000_000, 11_000_000);
            Assert.True(neighbourRate >= 0.9 * alone, $"neighbour got {neighbourRate / 1e6:0.00} Mbit/s next to the capped flow, {alone / 1e6:0.00} alone");
        }
        finally
        {
            foreach (var c in new[] { capped.From, capped.To, neighbour.From, neighbour.To })
            {
                await c.DisposeAsync();
            }
        }
    }

    /// <summary>Sends Send frames at <paramref name="offeredBitsPerSecond"/> for warm-up + measure; returns bits/s received in the measure window.</summary>
    private static Task<double> Flow(UdpRelayClient from, UdpRelayClient to, long offeredBitsPerSecond) => Task.Run(() =>
    {
        var frame = RelayTestClients.Send(to.Key, new byte[Datagram - RelayFrame.DataOverhead]);
        var total = Warmup + Measure;
        long received = 0;
        var clock = Stopwatch.StartNew();
        var receiver = new Thread(() =>
        {
            var buffer = new byte[65536];
            to.Socket.ReceiveTimeout = 200;
            while (clock.Elapsed < total + TimeSpan.FromMilliseconds(300))
            {
                try
                {
                    var n = to.Socket.Receive(buffer);
                    var t = clock.Elapsed;
                    if (t >= Warmup && t < total)
                    {
                        received += n;
                    }
                }
                catch (SocketException)
                {
                    // timeout: look at the clock again
                }
            }
        })
        { IsBackground = true };
        receiver.Start();

        long sentBits = 0;
        while (clock.Elapsed < total)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * offeredBitsPerSecond);
            while (sentBits < due)
            {
                from.Socket.SendTo(frame, from.Relay);
                sentBits += frame.Length * 8L;
            }

            Thread.Sleep(1);
        }

        receiver.Join();
        return Interlocked.Read(ref received) * 8.0 / Measure.TotalSeconds;
    });
}
