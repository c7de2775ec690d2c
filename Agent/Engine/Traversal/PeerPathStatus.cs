using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>A peer's path as the agent sees it (for `hamachi list` and the server's path report).</summary>
public sealed record PeerPathStatus(
    NodeKey Peer,
    PathKind Kind,
    NetEndpoint? Endpoint,
    TimeSpan? Rtt,
    string? WhyNotDirect,
    IReadOnlyList<CandidateReport> Candidates,
    bool RelayOverWebSocket);
