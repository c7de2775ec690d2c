using System.Net;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Agent.Engine.Control;

/// <summary>
/// Pure: decides the host routes of gateway networks from a map. A peer's AllowedIps beyond its own
/// /32 and /128 are LAN prefixes approved for its gateway; each gets a kernel route through the overlay
/// interface — whether the gateway is online or not, so traffic for that LAN never leaks to the local
/// default route — unless it overlaps one of this machine's own interface prefixes (it would shadow the
/// local LAN), the overlay prefix, or a prefix already routed to another gateway. Those are reported, not
/// installed. On a gateway, the approved routes it advertises in networks where it is online are what it serves.
/// </summary>
public static class GatewayRoutes
{
    public static RoutePlan Plan(NetworkMap map, IReadOnlyList<LocalPrefix> local)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(local);
        var install = new Dictionary<IPNetwork, string>();
        var conflicts = new List<RouteConflict>();
        IPNetwork? overlay = IPNetwork.TryParse(map.OverlayPrefixV4 ?? "", out var parsed) ? parsed : null;
        foreach (var peer in map.Peers.OrderBy(p => p.DeviceId))
        {
            foreach (var text in peer.AllowedIps ?? [])
            {
                if (!IPNetwork.TryParse(text, out var prefix) || IsHostEntry(peer, prefix))
                {
                    continue;
                }

                var lan = local.FirstOrDefault(l => Overlap(l.Prefix, prefix));
                var taken = install.FirstOrDefault(i => Overlap(i.Key, prefix));
                var why = lan is not null ? $"overlaps your LAN {lan.Interface} {lan.Prefix}"
                    : overlay is { } o && Overlap(o, prefix) ? $"overlaps the overlay {o}"
                    : taken.Value is not null ? $"overlaps {taken.Key} via {taken.Value}"
                    : null;
                if (why is null)
                {
                    install[prefix] = peer.Name;
                }
                else if (!conflicts.Any(c => c.Prefix == prefix && c.Via == peer.Name))
                {
                    conflicts.Add(new RouteConflict(prefix, peer.Name, $"{prefix} via {peer.Name} {why}: route not installed"));
                }
            }
        }

        var serve = map.Networks
            .Where(n => n.Type == NetworkType.Gateway && n.Online)
            .SelectMany(n => n.Routes ?? [])
            .Where(r => r.GatewayDeviceId == map.DeviceId && r.Status == RouteStatus.Approved)
            .Select(r => IPNetwork.TryParse(r.Prefix, out var p) ? p : (IPNetwork?)null)
            .OfType<IPNetwork>()
            .Distinct()
            .OrderBy(p => p.ToString(), StringComparer.Ordinal)
            .ToList();
        return new RoutePlan(install, conflicts, serve);
    }

    /// <summary>Whether one prefix contains the other (same family).</summary>
    public static bool Overlap(IPNetwork a, IPNetwork b) =>
        a.BaseAddress.AddressFamily == b.BaseAddress.AddressFamily && (a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress));

    private static bool IsHostEntry(PeerInfo peer, IPNetwork prefix) =>
        (prefix.PrefixLength == 32 && prefix.BaseAddress.ToString() == peer.IPv4)
        || (prefix.PrefixLength == 128 && IPAddress.TryParse(peer.IPv6, out var v6) && prefix.BaseAddress.Equals(v6));
}
