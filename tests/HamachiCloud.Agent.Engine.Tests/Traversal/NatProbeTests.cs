using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Engine.Traversal;
using HamachiCloud.Protocol.Stun;

namespace HamachiCloud.Agent.Engine.Tests.Traversal;

/// <summary>NatProbe + NatClassifier against modelled NATs and RFC 5780 servers on a fake clock.</summary>
public sealed class NatProbeTests
{
    [Theory]
    [InlineData(FakeNat.Open, true, "endpoint-independent", true, true)]
    [InlineData(FakeNat.FullCone, true, "endpoint-independent", true, false)]
    [InlineData(FakeNat.AddressRestricted, true, "address-dependent", true, false)]
    [InlineData(FakeNat.PortRestricted, true, "address-and-port-dependent", true, false)]
    [InlineData(FakeNat.Symmetric, false, "address-and-port-dependent", false, false)]
    internal void Classifies_mapping_filtering_port_preservation_and_hairpinning(FakeNat nat, bool eim, string filtering, bool portPreserved, bool hairpin)
    {
        var world = new FakeStunWorld(nat);
        var server = world.AddServer("203.0.113.10", "198.51.100.10");

        var report = world.Run(server.Stun());

        Assert.False(report.UdpBlocked);
        Assert.Equal(eim, report.EndpointIndependentMapping);
        Assert.Equal(eim ? "endpoint-independent" : "endpoint-dependent", report.Mapping);
        Assert.Equal(filtering, report.Filtering);
        Assert.Equal(filtering == "endpoint-independent", report.EndpointIndependentFiltering);
        Assert.Equal(portPreserved, report.PortPreserved);
        Assert.Equal(hairpin, report.Hairpinning);
        var expectedMapped = nat == FakeNat.Open ? $"{FakeStunWorld.Local}:{FakeStunWorld.LocalPort}"
            : nat == FakeNat.Symmetric ? $"{FakeStunWorld.Public}:50000"
            : $"{FakeStunWorld.Public}:{FakeStunWorld.LocalPort}";
        Assert.Equal(expectedMapped, report.MappedEndpoint);
        Assert.Equal(report.MappedEndpoint, world.Probe.ServerReflexive?.ToString());
        Assert.Same(report, world.Probe.Last);
    }

    [Fact]
    public void Hairpinning_NAT_is_detected()
    {
        var world = new FakeStunWorld(FakeNat.PortRestricted) { Hairpins = true };
        var server = world.AddServer("203.0.113.10", "198.51.100.10");

        Assert.True(world.Run(server.Stun()).Hairpinning);
    }

    [Fact]
    public void The_mapping_test_comes_after_the_filtering_test_so_its_pinhole_cannot_fake_open_filtering()
    {
        var world = new FakeStunWorld(FakeNat.PortRestricted);
        var server = world.AddServer("203.0.113.10", "198.51.100.10");

        world.Run(server.Stun());

        var lastChange = world.Sent.FindLastIndex(s => s.Change != StunChangeRequest.None);
        var firstToSecondary = world.Sent.FindIndex(s => s.To == server.Secondary);
        Assert.True(lastChange >= 0 && firstToSecondary > lastChange, $"change requests end at {lastChange}, secondary first asked at {firstToSecondary}");
    }

    [Fact]
    public void No_answer_from_any_relay_means_UDP_blocked_after_the_timeout_with_retransmissions()
    {
        var world = new FakeStunWorld(FakeNat.UdpBlocked);
        var a = world.AddServer("203.0.113.10", "198.51.100.10");
        var b = world.AddServer("203.0.113.20", null);
        var start = world.Time.GetTimestamp();

        var report = world.Run(a.Stun(), b.Stun());

        Assert.True(report.UdpBlocked);
        Assert.Null(report.MappedEndpoint);
        Assert.Null(report.EndpointIndependentMapping);
        Assert.Null(report.Filtering);
        Assert.Null(report.Hairpinning);
        Assert.Null(world.Probe.ServerReflexive);
        Assert.All(report.Relays!, r => Assert.Null(r.Milliseconds));
        Assert.Equal(3, world.Sent.Count(s => s.To == a.Primary)); // first transmission + 2 retransmissions
        Assert.Equal(3, world.Sent.Count(s => s.To == b.Primary));
        Assert.True(world.Time.GetElapsedTime(start) >= new NatProbeOptions().Timeout);
    }

    [Fact]
    public void A_lost_request_is_answered_after_its_retransmission()
    {
        var world = new FakeStunWorld(FakeNat.PortRestricted) { DropNext = 1 };
        var server = world.AddServer("203.0.113.10", "198.51.100.10");

        var report = world.Run(server.Stun(withSecondary: false));

        Assert.False(report.UdpBlocked);
        Assert.Equal(2, world.Sent.Count(s => s.To == server.Primary && s.Change == StunChangeRequest.None));
        Assert.InRange(report.Relays![0].Milliseconds!.Value, 300 + 20, 300 + 20 + 10); // measured from the first transmission
    }

    [Fact]
    public void Reports_each_relays_round_trip_and_compares_mappings_across_relays()
    {
        var world = new FakeStunWorld(FakeNat.Symmetric) { Latency = TimeSpan.FromMilliseconds(40) };
        var a = world.AddServer("203.0.113.10", null, changeSupported: false);
        var b = world.AddServer("203.0.113.20", null, changeSupported: false);

        var report = world.Run(a.Stun(), b.Stun());

        Assert.Equal(["relay1", "relay2"], report.Relays!.Select(r => r.Name));
        Assert.All(report.Relays!, r => Assert.InRange(r.Milliseconds!.Value, 40, 50));
        Assert.False(report.EndpointIndependentMapping); // two relays saw two different ports
        Assert.Null(report.Filtering); // no CHANGE-REQUEST support
        Assert.Null(report.EndpointIndependentFiltering);
    }

    [Fact]
    public void One_STUN_address_without_CHANGE_REQUEST_leaves_mapping_and_filtering_unknown()
    {
        var world = new FakeStunWorld(FakeNat.PortRestricted);
        var server = world.AddServer("203.0.113.10", null, changeSupported: false);

        var report = world.Run(server.Stun());

        Assert.Equal($"{FakeStunWorld.Public}:{FakeStunWorld.LocalPort}", report.MappedEndpoint);
        Assert.Null(report.EndpointIndependentMapping);
        Assert.Null(report.Mapping);
        Assert.Null(report.Filtering);
        Assert.Null(report.EndpointIndependentFiltering);
        Assert.True(report.PortPreserved);
    }

    [Fact]
    public void A_second_run_within_the_quiet_period_keeps_the_filtering_result_without_change_requests_and_measures_it_again_later()
    {
        var world = new FakeStunWorld(FakeNat.PortRestricted);
        var server = world.AddServer("203.0.113.10", "198.51.100.10");
        world.Run(server.Stun());
        var changes = world.Sent.Count(s => s.Change != StunChangeRequest.None);

        world.Time.Advance(TimeSpan.FromSeconds(60));
        var again = world.Run(server.Stun());

        Assert.Equal("address-and-port-dependent", again.Filtering);
        Assert.Equal(changes, world.Sent.Count(s => s.Change != StunChangeRequest.None));

        world.Time.Advance(new NatProbeOptions().FilteringQuietPeriod);
        var later = world.Run(server.Stun());
        Assert.Equal("address-and-port-dependent", later.Filtering);
        Assert.True(world.Sent.Count(s => s.Change != StunChangeRequest.None) > changes);
    }

    [Fact]
    public void Strangers_and_garbage_are_counted_not_matched()
    {
        var world = new FakeStunWorld(FakeNat.Open);
        var from = NetEndpoint.From(System.Net.IPEndPoint.Parse("203.0.113.99:3478"));
        var buffer = new byte[64];
        Assert.True(StunBinding.TryWriteRequest(buffer, new StunTransactionId(1, 2), StunChangeRequest.None, out var n));

        world.Probe.OnStunDatagram(buffer.AsSpan(0, n), from);
        world.Probe.OnStunDatagram(buffer.AsSpan(0, 19), from);

        Assert.Equal(1, world.Probe.Unmatched);
        Assert.Equal(1, world.Probe.Malformed);
    }

    [Fact]
    public void No_relays_means_nothing_measured()
    {
        var world = new FakeStunWorld(FakeNat.Open);

        var report = world.Run();

        Assert.Null(report.UdpBlocked);
        Assert.Null(report.MappedEndpoint);
        Assert.Empty(world.Sent);
    }
}
