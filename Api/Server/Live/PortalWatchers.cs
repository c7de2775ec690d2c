namespace HamachiCloud.Api.Live;

/// <summary>
/// This node's Portal connections and the networks each watches, in which view. The groups carry
/// the pushes; this registry lets the node move its own connections between groups when a watcher's
/// membership changes (<see cref="PortalWatchGroups"/>). Thread-safe; per node.
/// </summary>
internal sealed class PortalWatchers
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (Guid UserId, Dictionary<Guid, bool> Networks)> _connections = new(StringComparer.Ordinal);

    public void Connected(string connectionId, Guid userId)
    {
        lock (_gate)
        {
            _connections[connectionId] = (userId, []);
        }
    }

    public void Disconnected(string connectionId)
    {
        lock (_gate)
        {
            _connections.Remove(connectionId);
        }
    }

    /// <summary>Records the view (null: stop watching); returns the view before, null when it was not watched.</summary>
    public bool? Set(string connectionId, Guid networkId, bool? manager)
    {
        lock (_gate)
        {
            if (!_connections.TryGetValue(connectionId, out var connection))
            {
                return null;
            }

            bool? before = connection.Networks.TryGetValue(networkId, out var b) ? b : null;
            if (manager is { } m)
            {
                connection.Networks[networkId] = m;
            }
            else
            {
                connection.Networks.Remove(networkId);
            }

            return before;
        }
    }

    /// <summary>The current watches, of the given networks only when <paramref name="networks"/> is set.</summary>
    public List<PortalWatch> Snapshot(IReadOnlySet<Guid>? networks = null)
    {
        lock (_gate)
        {
            var watches = new List<PortalWatch>();
            foreach (var (connectionId, (userId, watched)) in _connections)
            {
                foreach (var (networkId, manager) in watched)
                {
                    if (networks is null || networks.Contains(networkId))
                    {
                        watches.Add(new PortalWatch(connectionId, userId, networkId, manager));
                    }
                }
            }

            return watches;
        }
    }
}
