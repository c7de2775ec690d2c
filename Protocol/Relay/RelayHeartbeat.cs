namespace HamachiCloud.Protocol.Relay;

/// <summary>
/// Relay → Api, <c>POST /api/v1/relays/heartbeat</c> with header <see cref="SecretHeader"/>: registers or refreshes
/// the relay. Endpoints are "address:port" (IPv6 in brackets); <paramref name="StunEndpoints"/> lists every STUN
/// socket (up to two addresses × two ports). <paramref name="BanHits"/>: how many times each ban (by id) refused a
/// datagram, bind or flow since the last heartbeat that was answered (the Api adds them to the bans' hit counts).
/// <paramref name="Usage"/> lists the payload bytes relayed per sender and receiver since the previous answered
/// heartbeat (for the billing page's relay usage).
/// </summary>
public sealed record RelayHeartbeatRequest(
    Guid Id,
    string Name,
    string Region,
    IReadOnlyList<string> UdpEndpoints,
    IReadOnlyList<string> StunEndpoints,
    string? WebSocketUrl,
    IReadOnlyDictionary<Guid, long>? BanHits = null,
    IReadOnlyList<RelayUsageReport>? Usage = null)
{
    public const string Path = "/api/v1/relays/heartbeat";
    public const string SecretHeader = "X-Relay-Secret";
}

/// <summary>
/// Api → relay: the server identity public key (base64, verifies relay tokens), the banned IP ranges (CIDRs, for
/// older relays) and the full ban list in scope Relays (<paramref name="Bans"/>, named by <paramref name="BansVersion"/>).
/// </summary>
public sealed record RelayHeartbeatResponse(
    string ServerIdentityKey,
    IReadOnlyList<string> BannedRanges,
    IReadOnlyList<RelayBan>? Bans = null,
    string? BansVersion = null);

/// <summary>Payload bytes <paramref name="From"/> sent to <paramref name="To"/> through the relay (node keys in base64).</summary>
public sealed record RelayUsageReport(string From, string To, long Bytes);
