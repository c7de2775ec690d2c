using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>
/// A relay token for one peer (from the hub's <c>GetRelayTokens</c>): the relay's id, UDP endpoint
/// and WebSocket URL (null when it has none), the 161-byte token and when it expires.
/// </summary>
public sealed record RelayGrant(Guid RelayId, NetEndpoint Udp, Uri? WebSocket, byte[] Token, DateTimeOffset ExpiresAt);
