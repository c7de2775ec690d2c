namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// What changed since the last tick, recorded by the services (REST and hub) after they saved, and
/// drained by <see cref="MapUpdateBatcher"/>. Sets, so N changes of the same thing in one tick
/// cost one rebuild. Thread-safe; per node (a change is pushed by the node where it happened, to
/// every node through the SignalR backplane).
/// </summary>
internal sealed class MapChangeQueue
{
    private readonly Lock _gate = new();
    private readonly List<LostConnection> _lost = [];
    private HashSet<Guid> _devices = [];
    private HashSet<Guid> _accounts = [];
    private HashSet<Guid> _networks = [];
    private HashSet<Guid> _verify = [];
    private HashSet<Guid> _revoked = [];
    private HashSet<Guid> _paths = [];
    private HashSet<Guid> _deletedNetworks = [];

    /// <summary>A device's own state changed (presence, endpoints, name, go-online/offline): it and its peers need new maps.</summary>
    public void DeviceChanged(Guid deviceId) => Add(ref _devices, deviceId);

    /// <summary>An account's memberships changed: its devices and the members of its networks need new maps.</summary>
    public void AccountChanged(Guid userId) => Add(ref _accounts, userId);

    /// <summary>A network's members or settings changed: every member device needs a new map.</summary>
    public void NetworkChanged(Guid networkId) => Add(ref _networks, networkId);

    /// <summary>A device was deleted: its live session is told goodbye.</summary>
    public void DeviceRevoked(Guid deviceId) => Add(ref _revoked, deviceId);

    /// <summary>A device's path reports changed: watchers of its networks are told (no map change).</summary>
    public void PathsChanged(Guid deviceId) => Add(ref _paths, deviceId);

    /// <summary>A network was deleted (its members are recorded with <see cref="AccountChanged"/>): its watchers are told.</summary>
    public void NetworkDeleted(Guid networkId) => Add(ref _deletedNetworks, networkId);

    /// <summary>
    /// A session dropped without goodbye: peers are asked to verify the device at the next tick, and
    /// it goes offline at <paramref name="offlineAt"/> unless it logged in again meanwhile.
    /// </summary>
    public void ConnectionLost(Guid deviceId, string connectionId, DateTimeOffset offlineAt)
    {
        lock (_gate)
        {
            _verify.Add(deviceId);
            _lost.Add(new LostConnection(deviceId, connectionId, offlineAt));
        }
    }

    /// <summary>Takes everything recorded so far, and the lost connections whose grace ended by <paramref name="now"/>.</summary>
    public MapChangeBatch Drain(DateTimeOffset now)
    {
        lock (_gate)
        {
            var expired = _lost.Where(l => l.OfflineAt <= now).ToList();
            _lost.RemoveAll(l => l.OfflineAt <= now);
            var batch = new MapChangeBatch(_devices, _accounts, _networks, _verify, _revoked, expired, _paths, _deletedNetworks);
            _devices = [];
            _accounts = [];
            _networks = [];
            _verify = [];
            _revoked = [];
            _paths = [];
            _deletedNetworks = [];
            return batch;
        }
    }

    /// <summary>
    /// Puts a drained batch back (its tick failed before anything was saved, e.g. a login inserted the same
    /// device's map state at the same moment), so the next tick publishes it instead of losing it.
    /// </summary>
    public void Requeue(MapChangeBatch batch)
    {
        lock (_gate)
        {
            _devices.UnionWith(batch.Devices);
            _accounts.UnionWith(batch.Accounts);
            _networks.UnionWith(batch.Networks);
            _verify.UnionWith(batch.VerifyDevices);
            _revoked.UnionWith(batch.RevokedDevices);
            _paths.UnionWith(batch.PathDevices);
            _deletedNetworks.UnionWith(batch.DeletedNetworks);
            _lost.AddRange(batch.ExpiredLosses);
        }
    }

    private void Add(ref HashSet<Guid> set, Guid id)
    {
        lock (_gate)
        {
            set.Add(id);
        }
    }
}
