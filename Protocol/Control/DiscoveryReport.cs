namespace HamachiCloud.Protocol.Control;

/// <summary>
/// What the agent found out about its connectivity (agent → server): local candidate endpoints
/// ("ip:port" of its interfaces with its UDP port) and, once traversal exists, a NAT report.
/// The server adds the address it observed itself.
/// </summary>
public sealed record DiscoveryReport(IReadOnlyList<string> LocalEndpoints, ushort ListenPort, NatReport? Nat = null);
