namespace HamachiCloud.Protocol.Relay;

/// <summary>
/// Relay → Api, <c>POST /api/v1/relays/heartbeat</c> with header <see cref="SecretHeader"/>: registers or refreshes
/// the relay. Endpoints are "address:port" (IPv6 in brackets); <paramref name="StunEndpoints"/> lists every STUN
/// socket (up to two addresses × two ports). <paramref name="Usage"/> lists the payload bytes relayed per sender and
/// receiver since the previous heartbeat that the Api answered (for the billing page's relay usage).
/// </summary>
public sealed record RelayHeartbeatRequest(
    Guid Id,
    string Name,
    string Region,
    IReadOnlyList<string> UdpEndpoints,
    IReadOnlyList<string> StunEndpoints,
    string? WebSocketUrl,
    IReadOnlyList<RelayUsageReport>? Usage = null)
{
    public const string Path = "/api/v1/relays/heartbeat";
    public const string SecretHeader = "X-Relay-Secret";
}

/// <summary>Api → relay: the server identity public key (base64, verifies relay tokens) and the banned IP ranges (CIDRs).</summary>
public sealed record RelayHeartbeatResponse(string ServerIdentityKey, IReadOnlyList<string> BannedRanges);

/// <summary>Payload bytes <paramref name="From"/> sent to <paramref name="To"/> through the relay (node keys in base64).</summary>
public sealed record RelayUsageReport(string From, string To, long Bytes);
