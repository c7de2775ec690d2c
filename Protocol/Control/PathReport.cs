namespace HamachiCloud.Protocol.Control;

/// <summary>
/// The agent's view of its paths to its peers (agent → server, <see cref="IAgentHub.ReportPaths"/>),
/// sent when a path changes and every minute. The server keeps the latest per device pair.
/// </summary>
public sealed record PathReport(IReadOnlyList<PeerPathReport> Peers);

/// <summary>
/// One peer: <see cref="Path"/> is one of <see cref="PathKinds"/>; <see cref="Endpoint"/> the
/// current destination ("ip:port", or "relay:{id}" through a relay); the candidates tried
/// ("ip:port kind pings answered"); why the path is not direct; the disco round-trip time.
/// </summary>
public sealed record PeerPathReport(
    string PeerNodeKey,
    string Path,
    string? Endpoint,
    IReadOnlyList<string> CandidatesTried,
    string? WhyNotDirect,
    double? RttMilliseconds,
    bool RelayOverWebSocket = false);

/// <summary>The values of <see cref="PeerPathReport.Path"/>.</summary>
public static class PathKinds
{
    public const string Direct = "direct";
    public const string Relay = "relay";
    public const string None = "none";

    public static bool IsValid(string? path) => path is Direct or Relay or None;
}
