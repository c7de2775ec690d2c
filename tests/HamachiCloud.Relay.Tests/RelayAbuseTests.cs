using System.Net;
using HamachiCloud.Api.Tests;
using HamachiCloud.Data;
using HamachiCloud.Data.Entities;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Relay;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace HamachiCloud.Relay.Tests;

/// <summary>
/// The real relay process on loopback, registered with the real Api (in process on Kestrel) by its heartbeat, which
/// gives it the server identity key and the ban list. Abuse: no token, expired token, token for another pair or
/// relay, forged signature, banned source — nothing is forwarded and /counters names each reason. Then the happy
/// paths: UDP ↔ UDP, WebSocket ↔ WebSocket and UDP ↔ WebSocket, both ways.
/// </summary>
public sealed class RelayAbuseTests(ITestOutputHelper output)
{
    private static readonly IPAddress Banned = IPAddress.Parse("127.0.0.66");

    [SkippableFact]
    public async Task Abuse_is_refused_and_counted_and_valid_pairs_relay_over_udp_websocket_and_mixed()
    {
        await using var api = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        var apiPort = RelayProcess.FreeTcpPort();
        api.UseKestrel(apiPort);
        api.StartServer();
        using (var scope = api.Services.CreateScope())
        {
            // The ban as support staff would store it (POST /api/v1/bans); the heartbeat hands it to the relay.
            var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
            db.Bans.Add(new HamachiCloud.Data.Entities.Ban { Id = Guid.NewGuid(), Cidr = "127.0.0.66/32", Reason = "relay abuse test", CreatedAt = TimeProvider.System.GetUtcNow(), UpdatedAt = TimeProvider.System.GetUtcNow() });
            await db.SaveChangesAsync();
        }

        using var issuer = SigningKey.FromBytes(Convert.FromBase64String(File.ReadAllText(Path.Combine(api.KeyDirectory, "server-identity.ed25519")).Trim()));

        var relayId = Guid.NewGuid();
        var udpPort = RelayProcess.FreeUdpPort(IPAddress.Loopback, 2);
        var httpPort = RelayProcess.FreeTcpPort();
        using var relay = await RelayProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Relay:Id"] = relayId.ToString(),
                ["Relay:ListenAddress"] = "127.0.0.1",
                ["Relay:Port"] = udpPort.ToString(),
                ["Relay:AlternatePort"] = (udpPort + 1).ToString(),
                ["Relay:ApiUrl"] = $"http://127.0.0.1:{apiPort}",
                ["Relay:RegistrationSecret"] = ApiFactory.RelaySecret,
                ["Relay:HeartbeatSeconds"] = "1",
                ["Relay:WebSocketUrl"] = $"ws://127.0.0.1:{httpPort}/relay",
            },
            "127.0.0.1",
            httpPort);
        try
        {
            await Run(relay, issuer, relayId, new IPEndPoint(IPAddress.Loopback, udpPort), new Uri($"ws://127.0.0.1:{httpPort}/relay"));
        }
        finally
        {
            output.WriteLine(relay.Output);
        }
    }

    private async Task Run(RelayProcess relay, SigningKey issuer, Guid relayId, IPEndPoint udp, Uri ws)
    {
        var now = TimeProvider.System.GetUtcNow();
        byte[] Token(NodeKey from, NodeKey to, Guid? relayOverride = null, DateTimeOffset? expires = null, SigningKey? signer = null) =>
            new RelayToken(relayOverride ?? relayId, from, to, expires ?? now.AddMinutes(10), 0).ToBytes(signer ?? issuer);

        await using var a = new UdpRelayClient(IPAddress.Loopback, udp, RelayTestClients.NewNodeKey());
        await using var b = new UdpRelayClient(IPAddress.Loopback, udp, RelayTestClients.NewNodeKey());
        await using var banned = new UdpRelayClient(Banned, udp, RelayTestClients.NewNodeKey());
        var c = RelayTestClients.NewKey();
        await b.BindOkAsync(Token(b.Key, a.Key)); // B consents to A

        // No token: A sends to B without any binding.
        await a.SendAsync(RelayTestClients.Send(b.Key, [1, 2, 3]));
        await a.ExpectRefusedAsync(RelayRefusal.NoBinding);

        // Expired token, token for another relay, forged signature.
        await a.SendAsync(RelayTestClients.Bind(Token(a.Key, b.Key, expires: now.AddMinutes(-1))));
        await a.ExpectRefusedAsync(RelayRefusal.Expired);
        await a.SendAsync(RelayTestClients.Bind(Token(a.Key, b.Key, relayOverride: Guid.NewGuid())));
        await a.ExpectRefusedAsync(RelayRefusal.WrongRelay);
        using (var forger = SigningKey.Generate())
        {
            await a.SendAsync(RelayTestClients.Bind(Token(a.Key, b.Key, signer: forger)));
            await a.ExpectRefusedAsync(RelayRefusal.BadSignature);
        }

        // A token for another pair (A → C) binds that pair only: sending to B is still refused.
        await a.BindOkAsync(Token(a.Key, c));
        await a.SendAsync(RelayTestClients.Send(b.Key, [4, 5, 6]));
        await a.ExpectRefusedAsync(RelayRefusal.NoBinding);

        // A banned source, even with a valid token.
        await banned.SendAsync(RelayTestClients.Bind(Token(banned.Key, b.Key)));
        await banned.ExpectRefusedAsync(RelayRefusal.Banned);
        await banned.SendAsync(RelayTestClients.Send(b.Key, [7]));
        await banned.ExpectRefusedAsync(RelayRefusal.Banned);

        Assert.Null(await b.ReceiveAsync(TimeSpan.FromSeconds(1))); // nothing reached B
        var counters = await relay.CountersAsync();
        output.WriteLine($"after abuse: {counters}");
        Assert.Equal(0, counters.GetProperty("forwarded").GetInt64());
        foreach (var (reason, atLeast) in new[] { ("no_binding", 2), ("expired", 1), ("wrong_relay", 1), ("bad_signature", 1), ("banned", 2) })
        {
            Assert.True(await RelayProcess.DroppedAsync(counters, reason) >= atLeast, $"counter {reason} < {atLeast}: {counters}");
        }

        // Happy path over UDP: A binds A → B, both directions flow.
        await a.BindOkAsync(Token(a.Key, b.Key));
        await a.SendAsync(RelayTestClients.Send(b.Key, [0x04, 0xAA]));
        await b.ExpectRecvAsync(a.Key, [0x04, 0xAA]);
        await b.SendAsync(RelayTestClients.Send(a.Key, [0x04, 0xBB]));
        await a.ExpectRecvAsync(b.Key, [0x04, 0xBB]);

        // WebSocket ↔ WebSocket.
        await using var w1 = await WebSocketRelayClient.ConnectAsync(ws, RelayTestClients.NewNodeKey());
        await using var w2 = await WebSocketRelayClient.ConnectAsync(ws, RelayTestClients.NewNodeKey());
        await w1.BindOkAsync(Token(w1.Key, w2.Key));
        await w1.SendAsync(RelayTestClients.Send(w2.Key, [9]));
        await w1.ExpectRefusedAsync(RelayRefusal.NoBinding); // w2 has not consented yet
        await w2.BindOkAsync(Token(w2.Key, w1.Key));
        await w1.SendAsync(RelayTestClients.Send(w2.Key, [0x10, 0x11]));
        await w2.ExpectRecvAsync(w1.Key, [0x10, 0x11]);
        await w2.SendAsync(RelayTestClients.Send(w1.Key, [0x12]));
        await w1.ExpectRecvAsync(w2.Key, [0x12]);

        // Mixed: UDP ↔ WebSocket.
        await using var u = new UdpRelayClient(IPAddress.Loopback, udp, RelayTestClients.NewNodeKey());
        await using var w3 = await WebSocketRelayClient.ConnectAsync(ws, RelayTestClients.NewNodeKey());
        await u.BindOkAsync(Token(u.Key, w3.Key));
        await w3.BindOkAsync(Token(w3.Key, u.Key));
        var big = new byte[1400];
        Random.Shared.NextBytes(big);
        await u.SendAsync(RelayTestClients.Send(w3.Key, big));
        await w3.ExpectRecvAsync(u.Key, big);
        await w3.SendAsync(RelayTestClients.Send(u.Key, [0x20, 0x21, 0x22]));
        await u.ExpectRecvAsync(w3.Key, [0x20, 0x21, 0x22]);

        // A closed WebSocket takes its bindings with it: U's datagrams for W3 are refused afterwards.
        await w3.DisposeAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(300), TimeProvider.System);
        await u.SendAsync(RelayTestClients.Send(w3.Key, [1]));
        await u.ExpectRefusedAsync(RelayRefusal.NoBinding);

        counters = await relay.CountersAsync();
        output.WriteLine($"after happy paths: {counters}");
        Assert.Equal(6, counters.GetProperty("forwarded").GetInt64());
    }
}
