using HamachiCloud.Api.Contracts.Paths;
using HamachiCloud.Portal.Components.Connections;
using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Portal.Tests.Connections;

/// <summary>The verdict on a pair from both sides' path reports and NAT reports: every path and every advice branch.</summary>
public sealed class PairDiagnosisTests
{
    private static readonly DateTimeOffset T0 = new(2025, 5, 12, 14, 0, 0, TimeSpan.Zero);
    private static readonly Guid IdA = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid IdB = Guid.Parse("00000000-0000-0000-0000-00000000000b");

    private static readonly NatReport Open = new(Mapping: "endpoint-independent", Filtering: "endpoint-independent");
    private static readonly NatReport Cone = new(Mapping: "endpoint-independent", Filtering: "address-dependent");
    private static readonly NatReport PortRestricted = new(Mapping: "endpoint-independent", Filtering: "address-and-port-dependent");
    private static readonly NatReport ConeUnknownFilter = new(Mapping: "endpoint-independent");
    private static readonly NatReport Symmetric = new(Mapping: "endpoint-dependent", Filtering: "address-and-port-dependent");
    private static readonly NatReport Blocked = new(UdpBlocked: true);
    private static readonly NatReport Unclassified = new(MappedEndpoint: "192.0.2.1:5000");

    private static PairEnd A(NatReport? nat = null, string? type = null) => new(IdA, "laptop", nat, type, "alice");

    private static PairEnd B(NatReport? nat = null, string? type = null) => new(IdB, "server", nat, type, "bob");

    private static PeerPathDto Report(Guid from, Guid to, string path, bool ws = false, double? rtt = null, string? why = null, string? endpoint = null, int ageSeconds = 10) =>
        new(from, from == IdA ? "laptop" : "server", to, to == IdA ? "laptop" : "server", path, endpoint, [], why, rtt, ws, T0.AddSeconds(-ageSeconds));

    [Fact]
    public void Both_direct_is_direct_with_no_advice()
    {
        var v = PairDiagnosis.Diagnose(A(Open), B(Open), Report(IdA, IdB, "direct", rtt: 4.2), Report(IdB, IdA, "direct", rtt: 4.8));
        Assert.Equal((PairPathKind.Direct, "Direct", 4.2), (v.Kind, v.Label, v.RttMilliseconds));
        Assert.Null(v.Advice);
        Assert.Null(v.WhyNotDirect);
        Assert.Null(v.Note);
        Assert.Equal(T0.AddSeconds(-10), v.ReportedAt);
    }

    [Fact]
    public void No_report_from_either_side_is_unknown_never_healthy()
    {
        var v = PairDiagnosis.Diagnose(A(Open), B(Open), null, null);
        Assert.Equal((PairPathKind.Unknown, "Unknown (no report yet)"), (v.Kind, v.Label));
        Assert.Contains("No path report yet", v.Advice);
        Assert.Null(v.Note);
        Assert.Null(v.ReportedAt);
    }

    [Fact]
    public void One_missing_report_does_not_hide_the_other_side_and_is_noted()
    {
        var v = PairDiagnosis.Diagnose(A(Open), B(Open), null, Report(IdB, IdA, "relay", rtt: 30));
        Assert.Equal(PairPathKind.RelayUdp, v.Kind);
        Assert.Equal(30, v.RttMilliseconds);
        Assert.Equal("Only server has reported this pair; laptop has not (yet).", v.Note);
    }

    [Fact]
    public void Disagreeing_reports_show_the_worse_with_its_own_numbers()
    {
        var v = PairDiagnosis.Diagnose(A(Open), B(Symmetric),
            Report(IdA, IdB, "direct", rtt: 3, ageSeconds: 5),
            Report(IdB, IdA, "relay", ws: true, rtt: 80, why: "no answer from 2 candidate(s)", ageSeconds: 50));
        Assert.Equal((PairPathKind.RelayWebSocket, "Relayed WebSocket (TCP)", 80.0), (v.Kind, v.Label, v.RttMilliseconds));
        Assert.Equal("no answer from 2 candidate(s)", v.WhyNotDirect);
        Assert.Equal("The two sides disagree: laptop sees Direct, server sees Relayed WebSocket (TCP); the worse is shown.", v.Note);
        Assert.Equal(T0.AddSeconds(-5), v.ReportedAt); // the newest report's time
    }

    [Theory]
    [InlineData("direct", "relay", PairPathKind.RelayUdp)]
    [InlineData("relay", "none", PairPathKind.None)]
    [InlineData("direct", "none", PairPathKind.None)]
    [InlineData("none", "direct", PairPathKind.None)]
    [InlineData("bogus", "direct", PairPathKind.Direct)]
    public void The_worse_report_wins(string aPath, string bPath, PairPathKind expected) =>
        Assert.Equal(expected, PairDiagnosis.Diagnose(A(Open), B(Open), Report(IdA, IdB, aPath), Report(IdB, IdA, bPath)).Kind);

    [Fact]
    public void Not_connected_has_no_rtt_and_says_to_check_the_agents()
    {
        var v = PairDiagnosis.Diagnose(A(Open), B(Open), Report(IdA, IdB, "none", rtt: 12), Report(IdB, IdA, "none"));
        Assert.Equal((PairPathKind.None, "Not connected", (double?)null), (v.Kind, v.Label, v.RttMilliseconds));
        Assert.StartsWith("Neither side reaches the other, not even through a relay", v.Advice);
        Assert.Contains("could go direct once both agents run", v.Advice);
    }

    [Fact]
    public void Both_symmetric_advises_forwarding_a_udp_port_on_one_side()
    {
        var v = PairDiagnosis.Diagnose(A(Symmetric), B(Symmetric), Report(IdA, IdB, "relay"), Report(IdB, IdA, "relay"));
        Assert.StartsWith("Both sides are behind symmetric NATs", v.Advice);
        Assert.Contains("hamachi daemon --port 41641", v.Advice);
        Assert.Contains("forward UDP 41641", v.Advice);
    }

    [Fact]
    public void Symmetric_against_port_restricted_advises_a_forward_on_the_easy_side()
    {
        var v = PairDiagnosis.Diagnose(A(Symmetric), B(PortRestricted), Report(IdA, IdB, "relay"), null);
        Assert.StartsWith("laptop is behind a symmetric NAT and server's NAT only accepts packets from endpoints it has sent to", v.Advice);
        Assert.Contains("On server, start its agent", v.Advice);
    }

    [Fact]
    public void Symmetric_against_open_blames_a_firewall()
    {
        var v = PairDiagnosis.Diagnose(A(Open), B(Symmetric), Report(IdA, IdB, "relay"), Report(IdB, IdA, "relay"));
        Assert.Equal("laptop accepts packets from any endpoint, so this pair should go direct even though server is behind a symmetric NAT; if it stays relayed, a firewall between them probably drops UDP.", v.Advice);
    }

    [Fact]
    public void Symmetric_against_address_restricted_cone_usually_goes_direct()
    {
        var v = PairDiagnosis.Diagnose(A(Cone), B(Symmetric), Report(IdA, IdB, "relay"), Report(IdB, IdA, "relay"));
        Assert.StartsWith("server is behind a symmetric NAT, but laptop's NAT accepts any port of an address it has sent to", v.Advice);
    }

    [Fact]
    public void Symmetric_against_unmeasured_filtering_says_so()
    {
        var v = PairDiagnosis.Diagnose(A(Symmetric), B(ConeUnknownFilter), Report(IdA, IdB, "relay"), Report(IdB, IdA, "relay"));
        Assert.StartsWith("laptop is behind a symmetric NAT and server's filtering was not measured", v.Advice);
    }

    [Fact]
    public void Two_cone_nats_relayed_is_transient_or_a_firewall()
    {
        var v = PairDiagnosis.Diagnose(A(Cone), B(PortRestricted), Report(IdA, IdB, "relay"), Report(IdB, IdA, "relay"));
        Assert.StartsWith("Both NATs keep one public port per socket, so the pair should go direct; it is relayed now", v.Advice);
    }

    [Fact]
    public void Udp_blocked_on_one_side_explains_the_websocket_relay()
    {
        var v = PairDiagnosis.Diagnose(A(Blocked), B(Open), Report(IdA, IdB, "relay", ws: true), Report(IdB, IdA, "relay", ws: true));
        Assert.Equal(PairPathKind.RelayWebSocket, v.Kind);
        Assert.Equal("UDP is blocked on laptop's network, so the pair can only use a relay over WebSocket (TCP). Allow outbound UDP from laptop to go direct.", v.Advice);
    }

    [Fact]
    public void Udp_blocked_on_both_sides_says_both()
    {
        var v = PairDiagnosis.Diagnose(A(Blocked), B(Blocked), Report(IdA, IdB, "relay", ws: true), null);
        Assert.StartsWith("UDP is blocked on both laptop's and server's networks", v.Advice);
    }

    [Fact]
    public void Websocket_without_a_blocked_report_names_the_side_that_fell_back()
    {
        var v = PairDiagnosis.Diagnose(A(Cone), B(Cone), Report(IdA, IdB, "relay"), Report(IdB, IdA, "relay", ws: true));
        Assert.StartsWith("server reaches the relay over WebSocket (TCP) only: UDP to the relay fails from its network. Both NATs keep", v.Advice);
    }

    [Fact]
    public void A_missing_nat_report_is_named()
    {
        Assert.StartsWith("No NAT report from server yet",
            PairDiagnosis.Diagnose(A(Open), B(), Report(IdA, IdB, "relay"), null).Advice);
        Assert.StartsWith("No NAT report from laptop or server yet",
            PairDiagnosis.Diagnose(A(), B(), Report(IdA, IdB, "relay"), null).Advice);
    }

    [Fact]
    public void An_unclassified_nat_is_named_and_a_forward_is_advised()
    {
        Assert.StartsWith("server's NAT could not be classified",
            PairDiagnosis.Diagnose(A(Open), B(Unclassified), Report(IdA, IdB, "relay"), null).Advice);
        var both = PairDiagnosis.Diagnose(A(Unclassified), B(Unclassified), Report(IdA, IdB, "relay"), null).Advice;
        Assert.StartsWith("Neither laptop's nor server's NAT could be classified", both);
        Assert.Contains("forward UDP 41641", both);
    }

    [Fact]
    public void The_api_one_word_type_stands_in_for_a_missing_report()
    {
        var v = PairDiagnosis.Diagnose(A(type: "symmetric"), B(type: "symmetric"), Report(IdA, IdB, "relay"), null);
        Assert.StartsWith("Both sides are behind symmetric NATs", v.Advice);
        Assert.StartsWith("UDP is blocked on laptop's network",
            PairDiagnosis.Diagnose(A(type: "udp-blocked"), B(Open), Report(IdA, IdB, "relay", ws: true), null).Advice);
    }

    [Fact]
    public void The_booleans_stand_in_for_missing_rfc_words()
    {
        var symmetric = new NatReport(EndpointIndependentMapping: false);
        var open = new NatReport(EndpointIndependentMapping: true, EndpointIndependentFiltering: true);
        Assert.True(NatTypes.IsSymmetric(symmetric));
        Assert.True(NatTypes.IsOpen(open));
        Assert.Null(NatTypes.Filtering(new NatReport(EndpointIndependentMapping: true, EndpointIndependentFiltering: false)));
        Assert.Equal(("symmetric NAT", "open", "cone NAT", "UDP blocked", "NAT unknown"),
            (NatTypes.Brief(symmetric), NatTypes.Brief(open), NatTypes.Brief(Cone), NatTypes.Brief(Blocked), NatTypes.Brief(null)));
    }

    [Fact]
    public void A_relay_endpoint_with_an_id_is_named_from_the_nat_reports()
    {
        var relayId = Guid.NewGuid();
        var withRelays = Cone with { Relays = [new RelayLatency(relayId, "fra-1", 12)] };
        var named = PairDiagnosis.Diagnose(A(withRelays), B(Cone), Report(IdA, IdB, "relay", endpoint: $"relay:{relayId}"), null);
        Assert.Equal(("fra-1", "Relayed UDP via fra-1"), (named.Relay, named.Label));
        var plain = PairDiagnosis.Diagnose(A(Cone), B(Cone), Report(IdA, IdB, "relay", endpoint: "relay"), null);
        Assert.Equal((null, "Relayed UDP"), (plain.Relay, plain.Label));
    }

    [Fact]
    public void The_pair_key_does_not_depend_on_the_order_of_its_ends()
    {
        var ab = PairDiagnosis.Diagnose(A(), B(), null, null);
        var ba = PairDiagnosis.Diagnose(B(), A(), null, null);
        Assert.Equal(ab.Key, ba.Key);
        Assert.Equal("laptop (alice) ↔ server (bob)", ab.Title);
    }
}
