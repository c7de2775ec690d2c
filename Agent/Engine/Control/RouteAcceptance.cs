using System.Net;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Routing;

namespace HamachiCloud.Agent.Engine.Control;

/// <summary>
/// Pure: the agent's own check of the gateway prefixes a map puts in its peers' AllowedIps, before
/// anything reaches the tunnels (<see cref="PeerReconciler"/>) or the host's routes (<see cref="GatewayRoutes"/>).
/// The server already leaves public prefixes out of the map of a device that does not accept them; the
/// agent does not rely on it, so neither a compromised server nor a gateway network's owner can steer
/// this device's Internet traffic without its consent:
/// <list type="bullet">
/// <item>a public prefix (<see cref="RouteScope"/>) is dropped unless this device accepts public routes locally;</item>
/// <item>any prefix that covers one of this device's underlay addresses (the server, the relays, the default
///   gateway, a peer's endpoint in use) is dropped whatever the acceptance: routing it into the tunnel would
///   cut the path the tunnel itself runs on, or hand the control channel to the gateway.</item>
/// </list>
/// A peer's own /32 and /128 are never touched. Each dropped prefix is returned with the reason.
/// </summary>
public static class RouteAcceptance
{
    public static NetworkMap Filter(NetworkMap map, bool acceptPublic, IReadOnlyList<UnderlayAddress> underlay, out IReadOnlyList<RouteConflict> refused)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(underlay);
        var dropped = new List<RouteConflict>();
        var peers = new List<PeerInfo>(map.Peers.Count);
        foreach (var peer in map.Peers)
        {
            List<string>? kept = null;
            var allowed = peer.AllowedIps ?? [];
            for (var i = 0; i < allowed.Count; i++)
            {
                var why = IPNetwork.TryParse(allowed[i], out var prefix) && !IsHostEntry(peer, prefix) ? Refusal(prefix, acceptPublic, underlay) : null;
                if (why is null)
                {
                    kept?.Add(allowed[i]);
                    continue;
                }

                kept ??= [.. allowed.Take(i)];
                dropped.Add(new RouteConflict(prefix, peer.Name, $"{prefix} via {peer.Name} {why}: route not installed"));
            }

            peers.Add(kept is null ? peer : peer with { AllowedIps = kept });
        }

        refused = dropped;
        return dropped.Count == 0 ? map : map with { Peers = peers };
    }

    /// <summary>Why this device refuses <paramref name="prefix"/>, or null when it takes it.</summary>
    public static string? Refusal(IPNetwork prefix, bool acceptPublic, IReadOnlyList<UnderlayAddress> underlay)
    {
        ArgumentNullException.ThrowIfNull(underlay);
        foreach (var path in underlay)
        {
            var address = path.Address.IsIPv4MappedToIPv6 ? path.Address.MapToIPv4() : path.Address;
            if (address.AddressFamily == prefix.BaseAddress.AddressFamily && prefix.Contains(address))
            {
                return $"covers {address} ({path.What}), on this device's own path";
            }
        }

        return RouteScope.IsPublic(prefix) && !acceptPublic
            ? "is a public route, not accepted on this device (`hamachi set --accept-routes` accepts public routes)"
            : null;
    }

    /// <summary>The addresses of the relays in a map (UDP and STUN endpoints, and the WebSocket URL's host when it is an address).</summary>
    public static IEnumerable<UnderlayAddress> Relays(NetworkMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        foreach (var relay in map.Relays ?? [])
        {
            foreach (var text in (relay.UdpEndpoints ?? []).Concat(relay.StunEndpoints ?? []))
            {
                if (IPEndPoint.TryParse(text, out var endpoint))
                {
                    yield return new UnderlayAddress(endpoint.Address, $"relay {relay.Name}");
                }
            }

            if (Uri.TryCreate(relay.WebSocketUrl, UriKind.Absolute, out var url) && IPAddress.TryParse(url.IdnHost, out var host))
            {
                yield return new UnderlayAddress(host, $"relay {relay.Name}");
            }
        }
    }

    private static bool IsHostEntry(PeerInfo peer, IPNetwork prefix) =>
        (prefix.PrefixLength == 32 && prefix.BaseAddress.ToString() == peer.IPv4)
        || (prefix.PrefixLength == 128 && IPAddress.TryParse(peer.IPv6, out var v6) && prefix.BaseAddress.Equals(v6));
}
