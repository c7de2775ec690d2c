namespace HamachiCloud.Protocol.Control;

/// <summary>
/// A live relay in the network map: UDP relay endpoints and STUN endpoints ("ip:port"), and the WebSocket URL of
/// its TCP fallback (or null).
/// </summary>
public sealed record RelayInfo(
    Guid Id,
    string Name,
    string Region,
    IReadOnlyList<string> UdpEndpoints,
    IReadOnlyList<string> StunEndpoints,
    string? WebSocketUrl);
