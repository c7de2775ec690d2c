using HamachiCloud.Api.Contracts.Live;

namespace HamachiCloud.Portal.Live;

/// <summary>
/// The circuit's live feed from the Api's portal hub (an I/O seam: <see cref="PortalLiveConnection"/>
/// in the Portal, an in-memory twin in the tests). Events are raised on the connection's threads:
/// components marshal them with <c>InvokeAsync</c>. After a reconnect every watched network's
/// current list is raised as <see cref="MembersChanged"/> again, with <see cref="PathsChanged"/>
/// and <see cref="NetworksChanged"/>, so nothing missed while down stays stale.
/// </summary>
public interface IPortalLive
{
    LiveState State { get; }

    /// <summary>When the last push (or the last successful connect) arrived; null before any.</summary>
    DateTimeOffset? LastUpdateAt { get; }

    event Action<NetworkMembersUpdate>? MembersChanged;

    event Action<Guid>? PathsChanged;

    event Action<Guid>? NetworkDeleted;

    event Action? NetworksChanged;

    /// <summary>One network's member and online counts changed (presence): the networks list updates that row in place.</summary>
    event Action<NetworkCountsUpdate>? NetworkCountsChanged;

    event Action? StateChanged;

    /// <summary>Starts the connection if needed (the networks list only listens to <see cref="NetworksChanged"/>).</summary>
    Task StartAsync(CancellationToken ct);

    /// <summary>
    /// Watches a network (counted: each call needs its <see cref="UnwatchNetworkAsync"/>) and answers its
    /// current member list, or null when the hub is not reachable now (the list then comes as
    /// <see cref="MembersChanged"/> once it is) or refuses the watch (not a member).
    /// </summary>
    Task<NetworkMembersUpdate?> WatchNetworkAsync(Guid networkId, CancellationToken ct);

    Task UnwatchNetworkAsync(Guid networkId);
}
