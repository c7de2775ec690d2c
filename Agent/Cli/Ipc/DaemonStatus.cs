namespace HamachiCloud.Agent.Ipc;

/// <summary>What <c>hamachi status</c> shows.</summary>
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
    int Tunnels);
