using HamachiCloud.Agent.Engine.Config;
using HamachiCloud.Protocol.WireGuard;

namespace HamachiCloud.Agent.Engine.Tests;

/// <summary>Handshakes, key rotation and timers between two engines over a virtual network.</summary>
public sealed class SessionTests
{
    private const int Initiation = 1;
    private const int Response = 2;
    private const int Cookie = 3;
    private const int Transport = 4;

    [Fact]
    public void Handshake_then_a_packet_each_way()
    {
        using var world = EngineWorld.Create();

        world.SendUdp(world.A, world.B, "ping");
        Assert.Equal("ping", EngineWorld.Expect(world.B));
        world.SendUdp(world.B, world.A, "pong");
        Assert.Equal("pong", EngineWorld.Expect(world.A));
        world.Settle();

        Assert.Single(world.Traffic(world.A, world.B, Initiation));
        Assert.Single(world.Traffic(world.B, world.A, Response));
        var ab = world.Stats(world.A, world.B);
        var ba = world.Stats(world.B, world.A);
        Assert.Equal(1, ab.HandshakesCompleted);
        Assert.Equal(1, ba.HandshakesCompleted);
        Assert.Equal(world.Time.GetUtcNow(), ab.LastHandshake);
        Assert.Equal(1, ab.TxPackets);
        Assert.Equal(1, ab.RxPackets);
        Assert.Equal(1, ba.RxPackets);
        Assert.True(ab.TxBytes > 28);
    }

    [Fact]
    public void Rekeys_after_120_seconds_and_traffic_continues()
    {
        using var world = EngineWorld.Create();
        world.Connect();
        var before = world.Traffic(world.A, world.B, Initiation).Count;

        world.Advance(TimeSpan.FromSeconds(121));
        world.SendUdp(world.A, world.B, "after rekey time");
        Assert.Equal("after rekey time", EngineWorld.Expect(world.B));
        world.Settle();

        Assert.Equal(before + 1, world.Traffic(world.A, world.B, Initiation).Count);
        Assert.Equal(2, world.Stats(world.A, world.B).HandshakesCompleted);
        Assert.Equal(world.Time.GetUtcNow(), world.Stats(world.B, world.A).LastHandshake);

        // Traffic keeps flowing both ways on the new session (A's packet confirmed it at B).
        world.Advance(TimeSpan.FromSeconds(1));
        world.SendUdp(world.B, world.A, "new session, B to A");
        Assert.Equal("new session, B to A", EngineWorld.Expect(world.A));
        world.SendUdp(world.A, world.B, "new session, A to B");
        Assert.Equal("new session, A to B", EngineWorld.Expect(world.B));
    }

    [Fact]
    public void Session_is_rejected_after_180_seconds_without_rekey()
    {
        using var world = EngineWorld.Create();
        world.Connect();
        world.Network.DropWhen = d => d.Type is Initiation or Response;

        world.Advance(TimeSpan.FromSeconds(179), TimeSpan.FromSeconds(5));
        world.SendUdp(world.A, world.B, "at 179 s");
        Assert.Equal("at 179 s", EngineWorld.Expect(world.B));
        world.Advance(TimeSpan.FromSeconds(2));
        var sentBefore = world.Traffic(world.A, world.B, Transport).Count + world.Traffic(world.B, world.A, Transport).Count;

        world.SendUdp(world.A, world.B, "at 181 s");
        world.SendUdp(world.B, world.A, "at 181 s too");
        world.Settle();

        Assert.Equal(sentBefore, world.Traffic(world.A, world.B, Transport).Count + world.Traffic(world.B, world.A, Transport).Count);
        Assert.Empty(world.B.Tun.TakeAll());
        Assert.Empty(world.A.Tun.TakeAll());
        Assert.True(world.Traffic(world.A, world.B, Initiation).Count > 1, "A keeps trying to rekey");
    }

    [Fact]
    public void Keepalive_after_10_seconds_idle_after_receiving_data()
    {
        using var world = EngineWorld.Create();
        world.SendUdp(world.A, world.B, "data");
        Assert.Equal("data", EngineWorld.Expect(world.B));
        world.Settle();
        static bool IsKeepalive(HamachiCloud.Testing.Datagram d) => d.Type == Transport && d.Data.Length == TransportHeader.MinimumMessageSize;

        world.Advance(TimeSpan.FromSeconds(9.5), TimeSpan.FromMilliseconds(500));
        Assert.DoesNotContain(world.Traffic(world.B, world.A), IsKeepalive);

        world.Advance(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500));
        Assert.Single(world.Traffic(world.B, world.A), IsKeepalive);
        Assert.Equal(1, world.Stats(world.A, world.B).RxPackets);
        Assert.Equal(0, world.Stats(world.A, world.B).RxBytes);
        Assert.Empty(world.A.Tun.TakeAll());
    }

    [Fact]
    public void Lost_response_is_retried_after_rekey_timeout_plus_jitter()
    {
        using var world = EngineWorld.Create();
        world.Network.DropWhen = d => d.Type == Response;
        world.SendUdp(world.A, world.B, "eventually");
        world.Settle();
        Assert.Single(world.Traffic(world.A, world.B, Initiation));

        world.Advance(TimeSpan.FromSeconds(4.9), TimeSpan.FromSeconds(0.7));
        Assert.Single(world.Traffic(world.A, world.B, Initiation));
        var waited = TimeSpan.FromSeconds(4.9);
        while (world.Traffic(world.A, world.B, Initiation).Count == 1 && waited < TimeSpan.FromSeconds(6))
        {
            world.Advance(TimeSpan.FromMilliseconds(100));
            waited += TimeSpan.FromMilliseconds(100);
        }

        Assert.Equal(2, world.Traffic(world.A, world.B, Initiation).Count);
        Assert.InRange(waited, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5.4));

        world.Network.DropWhen = null;
        world.Advance(TimeSpan.FromSeconds(5.4), TimeSpan.FromMilliseconds(300));
        Assert.Equal("eventually", EngineWorld.Expect(world.B));
        Assert.Equal(3, world.Traffic(world.A, world.B, Initiation).Count);
    }

    [Fact]
    public void Under_load_a_cookie_reply_makes_the_retry_carry_mac2()
    {
        using var world = EngineWorld.Create(options: i => new WireGuardDeviceOptions { UnderLoadHandshakesPerSecond = i == 1 ? 0 : 128 });

        world.SendUdp(world.A, world.B, "through the cookie");
        world.Settle();
        Assert.Single(world.Traffic(world.B, world.A, Cookie));
        Assert.Empty(world.Traffic(world.B, world.A, Response));
        Assert.Equal(1, world.B.Device.Statistics.CookieRepliesSent);

        world.Advance(TimeSpan.FromSeconds(5.4), TimeSpan.FromMilliseconds(300));
        Assert.Equal("through the cookie", EngineWorld.Expect(world.B));
        Assert.Single(world.Traffic(world.B, world.A, Response));
        var retry = world.Traffic(world.A, world.B, Initiation)[^1].Data;
        Assert.Contains(retry[HandshakeInitiation.Mac2Offset..], b => b != 0);
    }

    [Fact]
    public void Removed_peer_gets_no_traffic_and_counts_no_route()
    {
        using var world = EngineWorld.Create();
        world.Connect();
        Assert.True(world.A.Device.RemovePeer(world.B.PublicKey));

        world.SendUdp(world.A, world.B, "gone");
        world.Settle();

        Assert.Empty(world.B.Tun.TakeAll());
        Assert.Equal(1, world.A.Device.Statistics.NoRoute);
        Assert.Null(world.A.Device.GetPeerStatistics(world.B.PublicKey));
    }

    [Fact]
    public void Persistent_keepalive_handshakes_at_start_and_keeps_the_mapping_open()
    {
        using var world = EngineWorld.Create(persistentKeepalive: TimeSpan.FromSeconds(25));
        world.Advance(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(100));
        Assert.NotEmpty(world.Traffic(world.A, world.B, Initiation));
        Assert.True(world.Stats(world.A, world.B).HandshakesCompleted >= 1);

        // Both ends keep the mapping alive and any authenticated packet restarts the interval, so
        // whichever end's timer fires first sends and the other's restarts: count both directions.
        int Keepalives() => world.Traffic(world.A, world.B, Transport).Count + world.Traffic(world.B, world.A, Transport).Count;
        var before = Keepalives();
        world.Advance(TimeSpan.FromSeconds(26), TimeSpan.FromSeconds(2));
        Assert.True(Keepalives() > before, "a keepalive went out within 25 s of silence");
        Assert.Empty(world.A.Tun.TakeAll());
        Assert.Empty(world.B.Tun.TakeAll());
    }

    [Fact]
    public void Simultaneous_initiations_still_end_in_a_working_session()
    {
        using var world = EngineWorld.Create();
        world.SendUdp(world.A, world.B, "from A");
        world.SendUdp(world.B, world.A, "from B");
        world.Settle();

        // Each initiation replaced the other side's pending one, as in wireguard-go; the jittered
        // retries (5 s + 0..333 ms) break the tie. Step finely through each retry window.
        for (var round = 0; round < 4 && world.B.Tun.WrittenCount == 0; round++)
        {
            world.Advance(TimeSpan.FromSeconds(4.9));
            world.Advance(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(10));
        }

        Assert.Equal("from A", EngineWorld.Expect(world.B));
        Assert.Equal("from B", EngineWorld.Expect(world.A));
        world.SendUdp(world.A, world.B, "after");
        Assert.Equal("after", EngineWorld.Expect(world.B));
        world.SendUdp(world.B, world.A, "after too");
        Assert.Equal("after too", EngineWorld.Expect(world.A));
    }

    [Fact]
    public void Peer_added_again_at_runtime_handshakes_afresh()
    {
        using var world = EngineWorld.Create();
        world.Connect();
        var config = new PeerConfig
        {
            PublicKey = world.B.PublicKey,
            Endpoint = world.B.Conn.Endpoint.ToIPEndPoint(),
            AllowedIps = [System.Net.IPNetwork.Parse("100.64.0.2/32")],
        };

        world.A.Device.RemovePeer(world.B.PublicKey);
        world.Advance(TimeSpan.FromSeconds(1));
        world.A.Device.AddPeer(config);
        world.SendUdp(world.A, world.B, "re-added");
        Assert.Equal("re-added", EngineWorld.Expect(world.B));
        world.SendUdp(world.B, world.A, "welcome back");
        Assert.Equal("welcome back", EngineWorld.Expect(world.A));

        var stats = world.Stats(world.A, world.B);
        Assert.Equal(1, stats.HandshakesCompleted);
        Assert.Equal(config.AllowedIps, stats.AllowedIps);
        Assert.Equal(2, world.Stats(world.B, world.A).HandshakesCompleted);
    }

    [Fact]
    public void Gives_up_after_rekey_attempt_time_and_drops_staged_packets()
    {
        using var world = EngineWorld.Create();
        world.Network.DropWhen = d => d.Type == Response;
        world.SendUdp(world.A, world.B, "never");
        world.SendUdp(world.A, world.B, "never either");

        world.Settle(); // the first initiation goes out at t0, so the 90 s are counted from a known instant
        var timeline = new List<string> { $"0s:{world.Traffic(world.A, world.B, Initiation).Count}" };
        for (var t = 1; t <= 95; t++)
        {
            world.Advance(TimeSpan.FromSeconds(1));
            timeline.Add($"{t}s:{world.Traffic(world.A, world.B, Initiation).Count}");
        }

        var attempts = world.Traffic(world.A, world.B, Initiation).Count;
        Assert.InRange(attempts, 15, 19); // one every 5 s + jitter for 90 s (1 s steps round each wait up to 6 s)
        var stats = world.Stats(world.A, world.B);
        Assert.True(stats.DroppedNoRoute == 2, $"staged packets not dropped at give-up: {stats}; initiations by time: {string.Join(" ", timeline)}");

        world.Advance(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));
        Assert.Equal(attempts, world.Traffic(world.A, world.B, Initiation).Count);
        Assert.Empty(world.B.Tun.TakeAll());
    }

    [Fact]
    public void Keys_are_erased_after_three_times_reject_after_time()
    {
        using var world = EngineWorld.Create();
        world.Connect();
        world.Network.DropWhen = d => d.Type is Initiation or Response;
        var old = world.Traffic(world.A, world.B, Transport)[^1].Data;

        world.Advance(TimeSpan.FromSeconds(541), TimeSpan.FromSeconds(10));
        world.Network.Inject(world.A.Conn.Endpoint, world.B.Conn.Endpoint, old);
        world.Settle();

        Assert.Equal(1, world.B.Device.Statistics.UnknownIndex); // the session and its index are gone
        Assert.Empty(world.B.Tun.TakeAll());
    }
}
