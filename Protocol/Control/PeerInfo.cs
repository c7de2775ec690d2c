namespace HamachiCloud.Protocol.Control;

/// <summary>
/// A device this device may reach: its WireGuard node key (base64), overlay addresses, the
/// prefixes routed to it (its /32 and /128, plus approved gateway prefixes), its candidate
/// endpoints ("ip:port") and whether it is online.
/// </summary>
public sealed record PeerInfo(
    Guid DeviceId,
    string Name,
    string NodeKey,
    string IPv4,
    string IPv6,
    IReadOnlyList<string> AllowedIps,
    IReadOnlyList<string> Endpoints,
    bool Online,
    IReadOnlyList<Guid> NetworkIds);
