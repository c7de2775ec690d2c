namespace HamachiCloud.Protocol.Control;

/// <summary>
/// Everything one device needs to build its tunnels: its own addresses, its networks with
/// their members, and the peers it may reach (already filtered by network type), versioned.
/// <see cref="Relays"/> lists the live relays (null from servers that predate relays).
/// <see cref="AcceptPublicRoutes"/>: the server's record that this device accepts public gateway routes
/// (set by its agent or in the Portal); the agent installs them only when it accepts them locally too.
/// </summary>
public sealed record NetworkMap(
    long Version,
    Guid DeviceId,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    string SelfIPv4,
    string SelfIPv6,
    string OverlayPrefixV4,
    IReadOnlyList<NetworkInfo> Networks,
    IReadOnlyList<PeerInfo> Peers,
    IReadOnlyList<RelayInfo>? Relays = null,
    bool AcceptPublicRoutes = false);
