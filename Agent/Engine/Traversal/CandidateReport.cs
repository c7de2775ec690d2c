using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>One candidate as reported: where, what kind, how many pings, whether it ever answered, its latest RTT.</summary>
public sealed record CandidateReport(NetEndpoint Endpoint, CandidateKind Kind, int PingsSent, bool Answered, TimeSpan? Rtt);
