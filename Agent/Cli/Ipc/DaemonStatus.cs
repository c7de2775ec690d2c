namespace HamachiCloud.Agent.Ipc;

/// <summary>
/// What <c>hamachi status</c> shows. <see cref="Routes"/>: kernel routes to gateway prefixes ("PREFIX via GATEWAY");
/// <see cref="RouteConflicts"/>: gateway prefixes not routed and why; <see cref="Serving"/>: the approved LAN
/// prefixes this device forwards to as a gateway.
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
    IReadOnlyList<string>? Serving = null);
