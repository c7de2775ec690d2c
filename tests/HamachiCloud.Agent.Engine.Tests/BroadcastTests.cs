using HamachiCloud.Agent.Engine.Config;

namespace HamachiCloud.Agent.Engine.Tests;

/// <summary>Broadcast and multicast replication across three engines.</summary>
public sealed class BroadcastTests
{
    private const int Transport = 4;

    [Theory]
    [InlineData("255.255.255.255")]
    [InlineData("100.127.255.255")]
    [InlineData("239.1.2.3")]
    [InlineData("224.0.0.251")]
    public void Reaches_every_peer_exactly_once_and_is_not_reflooded(string destination)
    {
        using var world = EngineWorld.Create(3);

        world.SendUdp(world.A, destination, "to all");
        Assert.Equal("to all", EngineWorld.Expect(world.B));
        Assert.Equal("to all", EngineWorld.Expect(world.C));
        world.Settle();

        Assert.Empty(world.B.Tun.TakeAll());
        Assert.Empty(world.C.Tun.TakeAll());
        Assert.Empty(world.A.Tun.TakeAll());
        Assert.Empty(world.Traffic(world.B, world.C, Transport));
        Assert.Empty(world.Traffic(world.C, world.B, Transport));
        Assert.DoesNotContain(world.Traffic(world.B, world.A, Transport), d => d.Data.Length > 32);
        Assert.DoesNotContain(world.Traffic(world.C, world.A, Transport), d => d.Data.Length > 32);
        Assert.Equal(1, world.Stats(world.A, world.B).TxPackets);
        Assert.Equal(1, world.Stats(world.A, world.C).TxPackets);
    }

    [Fact]
    public void Each_peer_gets_its_own_encrypted_copy_over_established_sessions()
    {
        using var world = EngineWorld.Create(3);
        world.Connect();
        var before = world.Network.LogCount;

        world.SendUdp(world.A, "255.255.255.255", "again");
        Assert.Equal("again", EngineWorld.Expect(world.B));
        Assert.Equal("again", EngineWorld.Expect(world.C));
        world.Settle();

        var copies = world.Network.Log.Skip(before).Where(d => d.Type == Transport && d.From == world.A.Conn.Endpoint).ToList();
        Assert.Equal(2, copies.Count);
        Assert.NotEqual(copies[0].Data[4..8], copies[1].Data[4..8]);
    }

    [Fact]
    public void Unicast_to_a_non_peer_address_in_the_subnet_is_not_broadcast()
    {
        using var world = EngineWorld.Create(3);
        world.SendUdp(world.A, "100.64.0.77", "nobody");
        world.Settle();

        Assert.Empty(world.B.Tun.TakeAll());
        Assert.Empty(world.C.Tun.TakeAll());
        Assert.Equal(1, world.A.Device.Statistics.NoRoute);
    }

    [Fact]
    public void Rate_cap_drops_broadcasts_beyond_the_limit_per_source()
    {
        using var world = EngineWorld.Create(3, _ => new WireGuardDeviceOptions { BroadcastPacketsPerSecond = 10 });
        world.Connect();

        for (var i = 0; i < 25; i++)
        {
            world.SendUdp(world.A, "255.255.255.255", $"storm {i}");
        }

        world.Settle();
        Assert.Equal(10, world.B.Tun.TakeAll().Count);
        Assert.Equal(10, world.C.Tun.TakeAll().Count);
        Assert.Equal(15, world.A.Device.Statistics.RateLimited);

        // A second later the bucket has refilled.
        world.Advance(TimeSpan.FromSeconds(1));
        world.SendUdp(world.A, "239.1.2.3", "after the storm");
        Assert.Equal("after the storm", EngineWorld.Expect(world.B));
        Assert.Equal("after the storm", EngineWorld.Expect(world.C));
    }

    [Fact]
    public void Ipv6_multicast_reaches_every_peer_once()
    {
        using var world = EngineWorld.Create(3);

        world.A.Tun.Inject(Ip.Udp6(EngineWorld.Address6Of(0), "ff02::1", "all nodes"u8.ToArray()));
        Assert.Equal("all nodes", EngineWorld.Expect(world.B));
        Assert.Equal("all nodes", EngineWorld.Expect(world.C));
        world.Settle();

        Assert.Empty(world.B.Tun.TakeAll());
        Assert.Empty(world.C.Tun.TakeAll());
    }

    [Fact]
    public void Received_copies_are_rate_capped_per_source_peer()
    {
        // A has no cap to speak of; B and C cap what each peer may flood at them.
        using var world = EngineWorld.Create(3, i => new WireGuardDeviceOptions { BroadcastPacketsPerSecond = i == 0 ? 1000 : 5 });
        world.Connect();

        for (var i = 0; i < 12; i++)
        {
            world.SendUdp(world.A, "239.1.2.3", $"m{i}");
        }

        world.Settle();
        Assert.Equal(5, world.B.Tun.TakeAll().Count);
        Assert.Equal(7, world.Stats(world.B, world.A).DroppedRateLimited);
        Assert.Equal(5, world.C.Tun.TakeAll().Count);
    }
}
