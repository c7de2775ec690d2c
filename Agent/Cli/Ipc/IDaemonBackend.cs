using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Agent.Ipc;

/// <summary>What the IPC server asks of the daemon (the seam: tests answer with a fake backend).</summary>
public interface IDaemonBackend
{
    DaemonStatus Status();

    IReadOnlyList<NetworkListing> List();

    /// <summary>Runs the NAT discovery now (when the map lists relays) and returns it with the local endpoints.</summary>
    Task<NetcheckResult> NetcheckAsync(CancellationToken ct);

    Task<CommandResult> CreateNetworkAsync(string name, NetworkType type, string? password, CancellationToken ct);

    Task<CommandResult> JoinNetworkAsync(string networkId, string? password, CancellationToken ct);

    Task<CommandResult> LeaveNetworkAsync(string networkId, CancellationToken ct);

    Task<CommandResult> SetOnlineAsync(string networkId, bool online, CancellationToken ct);

    Task<CommandResult> SetNicknameAsync(string nickname, CancellationToken ct);

    /// <summary>Replaces the LAN prefixes this device advertises as a gateway of the network (none: withdraw all).</summary>
    Task<CommandResult> AdvertiseRoutesAsync(string networkId, IReadOnlyList<string> prefixes, CancellationToken ct);

    /// <summary>Whether this device accepts public gateway routes: locally (its own filter) and on the server (what its map carries).</summary>
    Task<CommandResult> SetAcceptRoutesAsync(bool accept, CancellationToken ct);
}
