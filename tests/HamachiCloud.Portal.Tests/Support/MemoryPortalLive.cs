using HamachiCloud.Api.Contracts.Live;
using HamachiCloud.Portal.Live;

namespace HamachiCloud.Portal.Tests.Support;

/// <summary>The in-memory twin of the portal hub connection: tests push updates and change the state.</summary>
public sealed class MemoryPortalLive : IPortalLive
{
    public LiveState State { get; private set; } = LiveState.Live;

    public DateTimeOffset? LastUpdateAt { get; private set; }

    /// <summary>What WatchNetwork answers (null: the hub is not reachable).</summary>
    public NetworkMembersUpdate? Current { get; set; }

    public Dictionary<Guid, int> Watches { get; } = [];

    public event Action<NetworkMembersUpdate>? MembersChanged;

    public event Action<Guid>? PathsChanged;

    public event Action<Guid>? NetworkDeleted;

    public event Action? NetworksChanged;

    public event Action<NetworkCountsUpdate>? NetworkCountsChanged;

    /// <summary>How many times <see cref="StartAsync"/> was called (a prerender must not connect).</summary>
    public int Starts { get; private set; }

    public event Action? StateChanged;

    public Task StartAsync(CancellationToken ct)
    {
        Starts++;
        return Task.CompletedTask;
    }

    /// <summary>When set, what WatchNetwork answers instead of <see cref="Current"/> (a test completes it later).</summary>
    public Task<NetworkMembersUpdate?>? Answer { get; set; }

    public Task<NetworkMembersUpdate?> WatchNetworkAsync(Guid networkId, CancellationToken ct)
    {
        Watches[networkId] = Watches.GetValueOrDefault(networkId) + 1;
        return Answer ?? Task.FromResult(Current);
    }

    public Task UnwatchNetworkAsync(Guid networkId)
    {
        Watches[networkId] = Watches.GetValueOrDefault(networkId) - 1;
        return Task.CompletedTask;
    }

    public void Push(NetworkMembersUpdate update)
    {
        LastUpdateAt = update.ChangedAt;
        MembersChanged?.Invoke(update);
    }

    public void PushPaths(Guid networkId) => PathsChanged?.Invoke(networkId);

    public void PushDeleted(Guid networkId) => NetworkDeleted?.Invoke(networkId);

    public void PushNetworks() => NetworksChanged?.Invoke();

    public void PushCounts(NetworkCountsUpdate update) => NetworkCountsChanged?.Invoke(update);

    public void SetState(LiveState state)
    {
        State = state;
        StateChanged?.Invoke();
    }
}
