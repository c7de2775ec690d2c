using HamachiCloud.Api.Contracts.Paths;
using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Portal.Components.Connections;

/// <summary>
/// Pure: the verdict on a device pair from the two sides' path reports (either may be missing) and
/// their NAT reports. The worse of two disagreeing reports wins (a pair is "direct" only when no side
/// says otherwise) and its numbers are the ones shown. The advice follows what our traversal can do
/// (docs/protocol.md: disco pings to every candidate from both sides): direct when one side is open,
/// or both keep one public port per socket; a symmetric NAT against a port-restricted one, or two
/// symmetric NATs, stay relayed until one side has a forwarded port; a UDP-blocked site can only use
/// the relay over WebSocket.
/// </summary>
public static class PairDiagnosis
{
    /// <summary>The agent's fixed-port advice (<c>hamachi daemon --port</c>).</summary>
    public const ushort SuggestedPort = 41641;

    private static readonly string ForwardPort =
        $"start its agent with a fixed port (`hamachi daemon --port {SuggestedPort}`) and forward UDP {SuggestedPort} to it on the router, or give it a public address";

    public static PairVerdict Diagnose(PairEnd a, PairEnd b, PeerPathDto? aToB, PeerPathDto? bToA)
    {
        var aKind = KindOf(aToB);
        var bKind = KindOf(bToA);
        var kind = Worse(aKind, bKind);
        // The numbers come from the report that gave the verdict (a direct RTT next to "Relayed" would mislead).
        var (main, other) = aKind == kind ? (aToB, bToA) : (bToA, aToB);
        var relay = kind is PairPathKind.RelayUdp or PairPathKind.RelayWebSocket ? RelayOf(main, a, b) ?? RelayOf(other, a, b) : null;
        var why = kind == PairPathKind.Direct ? null : Clean(main?.WhyNotDirect) ?? Clean(other?.WhyNotDirect);
        var advice = kind switch
        {
            PairPathKind.Direct => null,
            PairPathKind.Unknown => "No path report yet: agents report their paths when they change and every minute; a pair with no report for 3 minutes shows as unknown, never as healthy. Check that both agents are running.",
            _ => Advise(a, b, kind, main, aToB == main ? a : b),
        };
        return new PairVerdict(a, b, kind, PairPaths.Label(kind, relay), kind == PairPathKind.None ? null : main?.RttMilliseconds,
            relay, why, advice, Note(a, b, aToB, bToA, aKind, bKind), Latest(aToB?.ReportedAt, bToA?.ReportedAt), aToB, bToA);
    }

    /// <summary>The path kind one report states (an unknown path word counts as no report).</summary>
    public static PairPathKind KindOf(PeerPathDto? report) => report switch
    {
        null => PairPathKind.Unknown,
        { Path: PathKinds.Direct } => PairPathKind.Direct,
        { Path: PathKinds.Relay, RelayOverWebSocket: true } => PairPathKind.RelayWebSocket,
        { Path: PathKinds.Relay } => PairPathKind.RelayUdp,
        { Path: PathKinds.None } => PairPathKind.None,
        _ => PairPathKind.Unknown,
    };

    /// <summary>The worse of two views; a missing view does not hide the other side's report.</summary>
    public static PairPathKind Worse(PairPathKind x, PairPathKind y)
    {
        if (x == PairPathKind.Unknown)
        {
            return y;
        }

        if (y == PairPathKind.Unknown)
        {
            return x;
        }

        return PairPaths.Severity(x) <= PairPaths.Severity(y) ? x : y;
    }

    private static string? Note(PairEnd a, PairEnd b, PeerPathDto? aToB, PeerPathDto? bToA, PairPathKind aKind, PairPathKind bKind)
    {
        if (aToB is null && bToA is null)
        {
            return null;
        }

        if (aToB is null || bToA is null)
        {
            var (reporter, silent) = aToB is null ? (b, a) : (a, b);
            return $"Only {reporter.Name} has reported this pair; {silent.Name} has not (yet).";
        }

        return aKind == bKind
            ? null
            : $"The two sides disagree: {a.Name} sees {PairPaths.Label(aKind, null)}, {b.Name} sees {PairPaths.Label(bKind, null)}; the worse is shown.";
    }

    private static string Advise(PairEnd a, PairEnd b, PairPathKind kind, PeerPathDto? main, PairEnd mainReporter)
    {
        var prefix = kind switch
        {
            PairPathKind.None => "Neither side reaches the other, not even through a relay: check that both agents are running and can reach a relay. ",
            PairPathKind.RelayWebSocket when !NatTypes.IsUdpBlocked(NatOf(a)) && !NatTypes.IsUdpBlocked(NatOf(b)) && main is not null =>
                $"{mainReporter.Name} reaches the relay over WebSocket (TCP) only: UDP to the relay fails from its network. ",
            _ => "",
        };
        return prefix + DirectAdvice(a, b, kind);
    }

    /// <summary>What would make the pair direct, from both NAT reports.</summary>
    private static string DirectAdvice(PairEnd a, PairEnd b, PairPathKind kind)
    {
        var natA = NatOf(a);
        var natB = NatOf(b);
        if (natA is null || natB is null)
        {
            var missing = natA is null && natB is null ? $"{a.Name} or {b.Name}" : natA is null ? a.Name : b.Name;
            return $"No NAT report from {missing} yet (agents measure their NAT at start and every 5 minutes); the reason will show once there is one.";
        }

        if (NatTypes.IsUdpBlocked(natA) && NatTypes.IsUdpBlocked(natB))
        {
            return $"UDP is blocked on both {a.Name}'s and {b.Name}'s networks, so the pair can only use a relay over WebSocket (TCP). Allow outbound UDP on either network to use a UDP relay, on both to go direct.";
        }

        if (NatTypes.IsUdpBlocked(natA) || NatTypes.IsUdpBlocked(natB))
        {
            var blocked = NatTypes.IsUdpBlocked(natA) ? a : b;
            return $"UDP is blocked on {blocked.Name}'s network, so the pair can only use a relay over WebSocket (TCP). Allow outbound UDP from {blocked.Name} to go direct.";
        }

        var mapA = NatTypes.IndependentMapping(natA);
        var mapB = NatTypes.IndependentMapping(natB);
        if (mapA is null || mapB is null)
        {
            var unclassified = mapA is null && mapB is null
                ? $"Neither {a.Name}'s nor {b.Name}'s NAT could be classified"
                : $"{(mapA is null ? a : b).Name}'s NAT could not be classified";
            return $"{unclassified} (the STUN server could not tell), so the reason is not known. To make the pair direct for sure, on one of them {ForwardPort}.";
        }

        if (mapA == false && mapB == false)
        {
            return $"Both sides are behind symmetric NATs (a new public port for every destination), so hole punching cannot meet. On one of them, {ForwardPort}.";
        }

        if (mapA == false || mapB == false)
        {
            var (hard, easy) = mapA == false ? (a, b) : (b, a);
            return NatTypes.Filtering(NatOf(easy)) switch
            {
                NatTypes.Independent => $"{easy.Name} accepts packets from any endpoint, so this pair should go direct even though {hard.Name} is behind a symmetric NAT; if it stays relayed, a firewall between them probably drops UDP.",
                NatTypes.AddressDependent => $"{hard.Name} is behind a symmetric NAT, but {easy.Name}'s NAT accepts any port of an address it has sent to, so this pair can usually go direct after a few probes; if it stays relayed, on {easy.Name} {ForwardPort}.",
                NatTypes.AddressAndPortDependent => $"{hard.Name} is behind a symmetric NAT and {easy.Name}'s NAT only accepts packets from endpoints it has sent to, so their probes miss each other. On {easy.Name}, {ForwardPort} (or do it on {hard.Name}).",
                _ => $"{hard.Name} is behind a symmetric NAT and {easy.Name}'s filtering was not measured; hole punching works only if {easy.Name} accepts unknown senders. To make it direct, on {easy.Name} {ForwardPort}.",
            };
        }

        return kind == PairPathKind.None
            ? $"Both NATs keep one public port per socket, so the pair could go direct once both agents run; if it stays down, check that no firewall drops UDP between {a.Name} and {b.Name}."
            : $"Both NATs keep one public port per socket, so the pair should go direct; it is relayed now, usually for a few seconds after a start while probes run, otherwise because a firewall drops UDP between {a.Name} and {b.Name}.";
    }

    /// <summary>The NAT report, or one made from the Api's one-word type when only that is known.</summary>
    private static NatReport? NatOf(PairEnd end) => end.Nat ?? end.NatType switch
    {
        "udp-blocked" => new NatReport(UdpBlocked: true),
        "symmetric" => new NatReport(Mapping: NatTypes.Dependent),
        "endpoint-independent" => new NatReport(Mapping: NatTypes.Independent),
        _ => null,
    };

    /// <summary>
    /// The relay's name from an endpoint "relay:{id}" (today's agents send just "relay"): the name a
    /// NAT report gives that relay id, else the id itself.
    /// </summary>
    private static string? RelayOf(PeerPathDto? report, PairEnd a, PairEnd b)
    {
        if (report?.Endpoint is not { } e || !e.StartsWith("relay:", StringComparison.Ordinal) || e.Length == "relay:".Length)
        {
            return null;
        }

        var id = e["relay:".Length..];
        if (Guid.TryParse(id, out var relayId))
        {
            var named = (a.Nat?.Relays ?? []).Concat(b.Nat?.Relays ?? []).FirstOrDefault(r => r.RelayId == relayId && !string.IsNullOrWhiteSpace(r.Name));
            return named?.Name ?? id;
        }

        return id;
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static DateTimeOffset? Latest(DateTimeOffset? x, DateTimeOffset? y) =>
        x is null ? y : y is null ? x : x > y ? x : y;
}
