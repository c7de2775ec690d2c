namespace HamachiCloud.Protocol.Relay;

/// <summary>
/// Relay → Api, <c>POST /api/v1/relays/heartbeat</c> with header <see cref="SecretHeader"/>: registers or refreshes
/// the relay. Endpoints are "address:port" (IPv6 in brackets); <paramref name="StunEndpoints"/> lists every STUN
/// socket (up to two addresses × two ports).
/// </summary>
public sealed record RelayHeartbeatRequest(
    Guid Id,
    string Name,
    string Region,
    IReadOnlyList<string> UdpEndpoints,
    IReadOnlyList<string> StunEndpoints,
    string? WebSocketUrl)
{
    public const string Path = "/api/v1/relays/heartbeat";
    public const string SecretHeader = "X-Relay-Secret";
}

/// <summary>Api → relay: the server identity public key (base64, verifies relay tokens) and the banned IP ranges (CIDRs).</summary>
public sealed record RelayHeartbeatResponse(string ServerIdentityKey, IReadOnlyList<string> BannedRanges);
