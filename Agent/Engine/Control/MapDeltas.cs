using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Agent.Engine.Control;

/// <summary>Applies a <see cref="NetworkMapDelta"/> to a <see cref="NetworkMap"/>. Pure.</summary>
public static class MapDeltas
{
    /// <summary>
    /// The map at <see cref="NetworkMapDelta.ToVersion"/>, or null when <paramref name="map"/> is not
    /// at the delta's <see cref="NetworkMapDelta.FromVersion"/> (the caller then asks for a full map).
    /// </summary>
    public static NetworkMap? Apply(NetworkMap map, NetworkMapDelta delta)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(delta);
        if (map.Version != delta.FromVersion || delta.ToVersion <= delta.FromVersion)
        {
            return null;
        }

        var removedPeers = new HashSet<Guid>(delta.RemovedPeers ?? []);
        var upsertedPeers = (delta.UpsertedPeers ?? []).ToDictionary(p => p.DeviceId);
        var peers = map.Peers.Where(p => !removedPeers.Contains(p.DeviceId) && !upsertedPeers.ContainsKey(p.DeviceId))
            .Concat(upsertedPeers.Values.Where(p => !removedPeers.Contains(p.DeviceId)))
            .ToList();

        var removedNetworks = new HashSet<Guid>(delta.RemovedNetworks ?? []);
        var upsertedNetworks = (delta.UpsertedNetworks ?? []).ToDictionary(n => n.Id);
        var networks = map.Networks.Where(n => !removedNetworks.Contains(n.Id) && !upsertedNetworks.ContainsKey(n.Id))
            .Concat(upsertedNetworks.Values.Where(n => !removedNetworks.Contains(n.Id)))
            .ToList();

        return map with { Version = delta.ToVersion, Peers = peers, Networks = networks, Relays = delta.Relays ?? map.Relays };
    }
}
