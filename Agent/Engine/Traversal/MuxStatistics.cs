namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>
/// Socket mux counters: datagrams received per kind, dropped by reason (malformed/unclassified,
/// relay frames from an address that is no relay of ours, relay data from a peer we do not know),
/// outbound datagrams dropped (unknown virtual endpoint, no headroom) and relay frames sent.
/// </summary>
public sealed record MuxStatistics(
    long WireGuard,
    long Stun,
    long Disco,
    long RelayData,
    long RelayControl,
    long Malformed,
    long UnknownRelaySource,
    long UnknownRelayPeer,
    long SendDropped,
    long RelaySent);
