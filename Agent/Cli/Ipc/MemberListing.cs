namespace HamachiCloud.Agent.Ipc;

/// <summary>
/// One member device in <c>hamachi list</c>: its state as the server says (<see cref="Online"/>)
/// and as this agent sees it: <see cref="Path"/> "direct", "relay", "relay (tcp)" (the relay over
/// its WebSocket), "-" (not connected yet), "self"; <see cref="Status"/> "online", "offline",
/// "verifying", "offline (local)"; <see cref="LatencyMilliseconds"/> the disco round-trip time of the path.
/// </summary>
public sealed record MemberListing(
    string Nickname,
    string DeviceName,
    string IPv4,
    bool Online,
    string Status,
    string Path,
    string? Endpoint,
    double? LastHandshakeSecondsAgo,
    double? LatencyMilliseconds = null);
