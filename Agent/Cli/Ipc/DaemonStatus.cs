namespace HamachiCloud.Agent.Ipc;

/// <summary>
/// What <c>hamachi status</c> shows. <see cref="Routes"/>: kernel routes to gateway prefixes ("PREFIX via GATEWAY");
/// <see cref="RouteConflicts"/>: gateway prefixes not routed and why; <see cref="Serving"/>: the approved LAN
/// prefixes this device forwards to as a gateway. <see cref="AcceptPublicRoutes"/>: this device's own choice;
/// <see cref="ServerAcceptsPublicRoutes"/>: the server's record (the map carries public routes only when it is on);
/// <see cref="RoutesRefused"/>: gateway prefixes this agent refused since it started (public and not accepted, or
/// covering its own underlay path), counted once each.
/// </summary>
public sealed record DaemonStatus(
    Guid DeviceId,
    string Name,
    string ServerUrl,
    bool Connected,
    string? LastError,
    string VirtualIPv4,
    string VirtualIPv6,
    string NodeKey,
    int ListenPort,
    long? MapVersion,
    string MapSource,
    int Tunnels,
    IReadOnlyList<string>? Routes = null,
    IReadOnlyList<string>? RouteConflicts = null,
    IReadOnlyList<string>? Serving = null,
    bool AcceptPublicRoutes = false,
    bool ServerAcceptsPublicRoutes = false,
    int RoutesRefused = 0);
