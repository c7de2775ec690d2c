using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>Pure: the delta between two maps of the same device.</summary>
internal static class NetworkMapDiff
{
    /// <summary>
    /// Peers and networks added or changed (whole records) and removed, from <paramref name="from"/>
    /// to <paramref name="to"/>; null when a delta cannot express the change (the device's own
    /// addresses, overlay or acceptance of public routes changed) and a full map must be sent.
    /// </summary>
    public static NetworkMapDelta? Diff(NetworkMap from, NetworkMap to)
    {
        if (from.DeviceId != to.DeviceId || from.SelfIPv4 != to.SelfIPv4 || from.SelfIPv6 != to.SelfIPv6 || from.OverlayPrefixV4 != to.OverlayPrefixV4
            || from.AcceptPublicRoutes != to.AcceptPublicRoutes)
        {
            return null;
        }

        var oldPeers = from.Peers.ToDictionary(p => p.DeviceId);
        var newPeers = to.Peers.ToDictionary(p => p.DeviceId);
        var oldNetworks = from.Networks.ToDictionary(n => n.Id);
        var newNetworks = to.Networks.ToDictionary(n => n.Id);
        return new NetworkMapDelta(
            from.Version,
            to.Version,
            to.IssuedAt,
            to.Peers.Where(p => !oldPeers.TryGetValue(p.DeviceId, out var old) || !Same(old, p)).ToList(),
            from.Peers.Where(p => !newPeers.ContainsKey(p.DeviceId)).Select(p => p.DeviceId).ToList(),
            to.Networks.Where(n => !oldNetworks.TryGetValue(n.Id, out var old) || !Same(old, n)).ToList(),
            from.Networks.Where(n => !newNetworks.ContainsKey(n.Id)).Select(n => n.Id).ToList(),
            SameRelays(from.Relays, to.Relays) ? null : to.Relays ?? []);
    }

    private static bool SameRelays(IReadOnlyList<RelayInfo>? a, IReadOnlyList<RelayInfo>? b)
    {
        a ??= [];
        b ??= [];
        return a.Count == b.Count && a.Zip(b).All(p => p.First.Id == p.Second.Id && p.First.Name == p.Second.Name && p.First.Region == p.Second.Region
            && p.First.WebSocketUrl == p.Second.WebSocketUrl && p.First.UdpEndpoints.SequenceEqual(p.Second.UdpEndpoints)
            && p.First.StunEndpoints.SequenceEqual(p.Second.StunEndpoints));
    }

    public static bool IsEmpty(NetworkMapDelta delta) =>
        delta.UpsertedPeers.Count == 0 && delta.RemovedPeers.Count == 0 && delta.UpsertedNetworks.Count == 0 && delta.RemovedNetworks.Count == 0
        && delta.Relays is null;

    /// <summary>Applies a delta (what an agent does); used to check that deltas rebuild the full map.</summary>
    public static NetworkMap Apply(NetworkMap map, NetworkMapDelta delta)
    {
        var peers = map.Peers.Where(p => !delta.RemovedPeers.Contains(p.DeviceId)).ToDictionary(p => p.DeviceId);
        foreach (var p in delta.UpsertedPeers)
        {
            peers[p.DeviceId] = p;
        }

        var networks = map.Networks.Where(n => !delta.RemovedNetworks.Contains(n.Id)).ToDictionary(n => n.Id);
        foreach (var n in delta.UpsertedNetworks)
        {
            networks[n.Id] = n;
        }

        return map with
        {
            Version = delta.ToVersion,
            IssuedAt = delta.IssuedAt,
            ExpiresAt = delta.IssuedAt + ControlProtocol.MapLifetime,
            Peers = peers.Values.OrderBy(p => p.DeviceId).ToList(),
            Networks = networks.Values.OrderBy(n => n.Id).ToList(),
            Relays = delta.Relays ?? map.Relays,
        };
    }

    private static bool Same(PeerInfo a, PeerInfo b) =>
        a.DeviceId == b.DeviceId && a.Name == b.Name && a.NodeKey == b.NodeKey && a.IPv4 == b.IPv4 && a.IPv6 == b.IPv6
        && a.Online == b.Online && a.AllowedIps.SequenceEqual(b.AllowedIps) && a.Endpoints.SequenceEqual(b.Endpoints)
        && a.NetworkIds.SequenceEqual(b.NetworkIds);

    private static bool Same(NetworkInfo a, NetworkInfo b) =>
        a.Id == b.Id && a.NetworkId == b.NetworkId && a.Name == b.Name && a.Type == b.Type && a.Online == b.Online
        && a.Members.SequenceEqual(b.Members) && (a.Routes ?? []).SequenceEqual(b.Routes ?? []) && a.OpenToAnyone == b.OpenToAnyone;
}
