namespace HamachiCloud.Protocol.Control;

/// <summary>
/// The answer to <see cref="IAgentHub.GetRelayTokens"/>: one token per live relay for the pair (caller → peer), or
/// an <see cref="ErrorCode"/> from <see cref="RelayTokenErrors"/> and no tokens.
/// </summary>
public sealed record RelayTokenGrant(IReadOnlyList<RelayTokenEntry> Tokens, string? ErrorCode = null, string? Error = null);

/// <summary>A relay token (base64 of the 161 bytes of <c>Protocol/Relay/RelayToken</c>) for one relay.</summary>
public sealed record RelayTokenEntry(Guid RelayId, string Token, DateTimeOffset ExpiresAt, long BandwidthBitsPerSecond);

/// <summary>Error codes of <see cref="RelayTokenGrant"/>.</summary>
public static class RelayTokenErrors
{
    /// <summary>The peer key is not a node key (base64 or nodekey:hex).</summary>
    public const string InvalidNodeKey = "invalid_node_key";

    /// <summary>The caller's current map does not let it reach that peer.</summary>
    public const string PeerNotReachable = "peer_not_reachable";

    /// <summary>No relay has sent a heartbeat recently.</summary>
    public const string NoRelay = "no_relay";
}
