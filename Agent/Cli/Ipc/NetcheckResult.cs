namespace HamachiCloud.Agent.Ipc;

/// <summary>What <c>hamachi netcheck</c> shows (NAT classification comes with the traversal work).</summary>
public sealed record NetcheckResult(IReadOnlyList<string> LocalEndpoints, int ListenPort);
