namespace HamachiCloud.Portal.Components.Connections;

/// <summary>Pure: the words, attribute values and order of <see cref="PairPathKind"/>.</summary>
public static class PairPaths
{
    /// <summary>The <c>data-path</c> value: direct, relay-udp, relay-websocket, none or unknown.</summary>
    public static string Attribute(PairPathKind kind) => kind switch
    {
        PairPathKind.Direct => "direct",
        PairPathKind.RelayUdp => "relay-udp",
        PairPathKind.RelayWebSocket => "relay-websocket",
        PairPathKind.None => "none",
        _ => "unknown",
    };

    /// <summary>The exact path words (never "direct" for anything through a third node).</summary>
    public static string Label(PairPathKind kind, string? relay) => kind switch
    {
        PairPathKind.Direct => "Direct",
        PairPathKind.RelayUdp => relay is null ? "Relayed UDP" : $"Relayed UDP via {relay}",
        PairPathKind.RelayWebSocket => relay is null ? "Relayed WebSocket (TCP)" : $"Relayed WebSocket (TCP) via {relay}",
        PairPathKind.None => "Not connected",
        _ => "Unknown (no report yet)",
    };

    /// <summary>Worst first, for the actionable list: down, WebSocket, UDP relay, unknown, direct.</summary>
    public static int Severity(PairPathKind kind) => kind switch
    {
        PairPathKind.None => 0,
        PairPathKind.RelayWebSocket => 1,
        PairPathKind.RelayUdp => 2,
        PairPathKind.Unknown => 3,
        _ => 4,
    };
}
