using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Agent.Ipc;

/// <summary>What <c>hamachi netcheck</c> shows: local candidate endpoints, the UDP port, and the NAT report (null: no relays known yet).</summary>
public sealed record NetcheckResult(IReadOnlyList<string> LocalEndpoints, int ListenPort, NatReport? Nat = null);
