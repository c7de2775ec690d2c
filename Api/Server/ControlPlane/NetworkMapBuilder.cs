using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Routing;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// Pure: decides what one device sees — its networks, their members and the peers it may reach —
/// from a <see cref="MapSnapshot"/>. Only active memberships count. Reachability by network type:
/// mesh, every member device; hub-and-spoke, spokes reach hubs and hubs reach everyone; gateway,
/// members reach the gateway (the devices of hub members, by default the owner) and the gateway
/// reaches everyone, while plain members do not see each other (not even in the member list).
/// A device that went offline in a network neither reaches nor is reached through it. The
/// account's own other devices are peers like any other member device. Gateway routes: a gateway
/// device's approved LAN prefixes join its AllowedIps for the devices that reach it through that
/// gateway network (and only them); the network lists the approved routes of its gateway devices,
/// plus this device's own routes with their status (pending, rejected) so the gateway knows what it serves.
/// Public routes (outside the private and ULA ranges, <see cref="RouteScope"/>) count as approved only in a
/// network that allows them, and join a gateway's AllowedIps only in the map of a device that accepts public
/// routes; the network still lists them, marked public, so the member sees what it is offered.
/// A member over the plan limit (<see cref="MapSnapshot.Member.OverPlanLimit"/>) is left out of everyone's lists and
/// peers; its own map lists the network (flagged <see cref="NetworkInfo.OverPlanLimit"/>) with its own devices only.
/// </summary>
internal static class NetworkMapBuilder
{
    public static NetworkMap Build(MapSnapshot snapshot, Guid deviceId, long version, string overlayPrefixV4, DateTimeOffset now)
    {
        var self = snapshot.Devices.FirstOrDefault(d => d.Id == deviceId)
            ?? throw new ArgumentException($"device {deviceId} is not in the snapshot", nameof(deviceId));
        var byUser = snapshot.Devices.OrderBy(d => d.Id).ToLookup(d => d.UserId);
        var networks = new List<NetworkInfo>();
        var peers = new SortedDictionary<Guid, (MapSnapshot.Dev Device, List<Guid> Via)>();
        var prefixes = new Dictionary<Guid, SortedSet<string>>();

        foreach (var network in snapshot.Networks.OrderBy(n => n.Id))
        {
            var me = network.Members.FirstOrDefault(m => m.UserId == self.UserId && m.Status == MemberStatus.Active);
            if (me is null)
            {
                continue;
            }

            var selfOnline = !self.OfflineIn.Contains(network.Id);
            var gateways = GatewayDevices(network, byUser);
            var members = new List<MemberInfo>();
            foreach (var member in network.Members.Where(m => m.Status == MemberStatus.Active).OrderBy(m => m.UserId))
            {
                if ((me.OverPlanLimit || member.OverPlanLimit) && member.UserId != self.UserId)
                {
                    continue; // set aside by a smaller plan: neither side sees or reaches the other
                }

                var reachable = MayReach(network.Type, me, member);
                if (network.Type == NetworkType.Gateway && !reachable && member.UserId != self.UserId)
                {
                    continue; // gateway members do not see each other
                }

                foreach (var device in byUser[member.UserId])
                {
                    var inNetwork = !device.OfflineIn.Contains(network.Id);
                    members.Add(new MemberInfo(device.Id, member.UserId, member.Nickname, device.Name, member.Role, member.HubRole,
                        device.IPv4.ToString(), device.Connected && inNetwork));
                    if (device.Id != self.Id && selfOnline && inNetwork && reachable)
                    {
                        if (!peers.TryGetValue(device.Id, out var peer))
                        {
                            peer = (device, []);
                            peers.Add(device.Id, peer);
                        }

                        peer.Via.Add(network.Id);
                        foreach (var route in network.Routes ?? [])
                        {
                            if (route.DeviceId == device.Id && Effective(network, route) == RouteStatus.Approved && gateways.Contains(device.Id)
                                && (self.AcceptPublicRoutes || !RouteScope.IsPublic(route.Prefix)))
                            {
                                (prefixes.TryGetValue(device.Id, out var set) ? set : prefixes[device.Id] = new SortedSet<string>(StringComparer.Ordinal)).Add(route.Prefix);
                            }
                        }
                    }
                }
            }

            networks.Add(new NetworkInfo(network.Id, network.NetworkId, network.Name, network.Type, selfOnline, members,
                me.OverPlanLimit ? (network.Type == NetworkType.Gateway ? [] : null) : Routes(network, gateways, self.Id), network.OpenToAnyone, me.OverPlanLimit));
        }

        var peerInfos = peers.Values.Select(p => ToPeer(p.Device, p.Via, prefixes.GetValueOrDefault(p.Device.Id))).ToList();
        return new NetworkMap(version, self.Id, now, now + ControlProtocol.MapLifetime, self.IPv4.ToString(), self.IPv6.ToString(),
            overlayPrefixV4, networks, peerInfos, snapshot.Relays ?? [], self.AcceptPublicRoutes);
    }

    /// <summary>Whether <paramref name="self"/>'s devices may reach <paramref name="peer"/>'s devices in a network of this type.</summary>
    public static bool MayReach(NetworkType type, MapSnapshot.Member self, MapSnapshot.Member peer) => type switch
    {
        NetworkType.Mesh => true,
        NetworkType.HubAndSpoke or NetworkType.Gateway => self.HubRole == HubRole.Hub || peer.HubRole == HubRole.Hub,
        _ => false, // deny on anything unexpected
    };

    /// <summary>The devices of the network's active hub-role members: its gateways (gateway networks only).</summary>
    private static HashSet<Guid> GatewayDevices(MapSnapshot.Net network, ILookup<Guid, MapSnapshot.Dev> byUser) =>
        network.Type != NetworkType.Gateway
            ? []
            : network.Members.Where(m => m.Status == MemberStatus.Active && !m.OverPlanLimit && m.HubRole == HubRole.Hub).SelectMany(m => byUser[m.UserId]).Select(d => d.Id).ToHashSet();

    /// <summary>Approved routes of the network's gateways and, on a gateway, its own routes (any status); null for other network types.</summary>
    private static List<RouteInfo>? Routes(MapSnapshot.Net network, HashSet<Guid> gateways, Guid selfId) =>
        network.Type != NetworkType.Gateway
            ? null
            : (network.Routes ?? [])
                .Select(r => (Route: r, Status: Effective(network, r)))
                .Where(r => gateways.Contains(r.Route.DeviceId) && (r.Route.DeviceId == selfId || r.Status == RouteStatus.Approved))
                .OrderBy(r => r.Route.Prefix, StringComparer.Ordinal).ThenBy(r => r.Route.DeviceId)
                .Select(r => new RouteInfo(r.Route.Prefix, r.Route.DeviceId, r.Status, RouteScope.IsPublic(r.Route.Prefix)))
                .ToList();

    /// <summary>
    /// A route's status as maps see it: an approved public route of a network that does not (or no longer)
    /// allows public routes is not in force (the network update rejects them too; this holds if a row says otherwise).
    /// </summary>
    private static RouteStatus Effective(MapSnapshot.Net network, MapSnapshot.Route route) =>
        route.Status == RouteStatus.Approved && !network.AllowPublicRoutes && RouteScope.IsPublic(route.Prefix) ? RouteStatus.Rejected : route.Status;

    private static PeerInfo ToPeer(MapSnapshot.Dev d, List<Guid> via, SortedSet<string>? prefixes) =>
        new(d.Id, d.Name, d.NodeKey, d.IPv4.ToString(), d.IPv6.ToString(), [$"{d.IPv4}/32", $"{d.IPv6}/128", .. prefixes ?? []], d.Endpoints, d.Connected, via);
}
