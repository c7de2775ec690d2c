using System.Net;
using HamachiCloud.Agent.Engine.Config;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Engine.Control;

/// <summary>
/// Turns a network map into data-plane operations: every online peer gets a tunnel (its first
/// usable candidate endpoint, its allowed IPs, persistent keepalive), offline and vanished peers lose
/// theirs. Pure: the daemon performs the returned plan on its <see cref="Device.WireGuardDevice"/>.
/// A peer whose config is unchanged is not touched (re-adding would drop its sessions).
/// </summary>
public static class PeerReconciler
{
    public static readonly TimeSpan Keepalive = TimeSpan.FromSeconds(25);

    /// <param name="current">The configs applied so far, by node key.</param>
    /// <param name="map">The map to reach.</param>
    /// <param name="selfNodeKey">This device's key: never a peer of itself.</param>
    /// <param name="candidateEndpoints">
    /// False when traversal chooses the endpoints (relay first, then a direct path): tunnels get no
    /// endpoint from the map, so a change of candidates does not re-create them.
    /// </param>
    public static ReconcilePlan Reconcile(IReadOnlyDictionary<NodeKey, PeerConfig> current, NetworkMap map, NodeKey? selfNodeKey = null, bool candidateEndpoints = true)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(map);
        var desired = new Dictionary<NodeKey, PeerConfig>();
        var skipped = new List<string>();
        foreach (var peer in map.Peers)
        {
            if (!peer.Online)
            {
                continue;
            }

            var config = ToConfig(peer, out var problem);
            if (config is null)
            {
                skipped.Add($"peer {peer.DeviceId} ({peer.Name}): {problem}");
                continue;
            }

            if (!candidateEndpoints)
            {
                config = config with { Endpoint = null };
            }

            if (config.PublicKey.Equals(selfNodeKey))
            {
                continue;
            }

            desired[config.PublicKey] = config;
        }

        var upserts = desired.Values.Where(d => !current.TryGetValue(d.PublicKey, out var had) || !Same(had, d)).ToList();
        var removals = current.Keys.Where(k => !desired.ContainsKey(k)).ToList();
        return new ReconcilePlan(upserts, removals, skipped);
    }

    /// <summary>The tunnel config of a peer, or null with the reason its record is unusable.</summary>
    public static PeerConfig? ToConfig(PeerInfo peer, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (!NodeKey.TryParseBase64(peer.NodeKey, out var key) || key is null)
        {
            problem = $"node key '{peer.NodeKey}' is not base64 of 32 bytes";
            return null;
        }

        var allowed = new List<IPNetwork>();
        foreach (var text in peer.AllowedIps ?? [])
        {
            if (!IPNetwork.TryParse(text, out var prefix))
            {
                problem = $"allowed IP '{text}' is not a prefix";
                return null;
            }

            allowed.Add(prefix);
        }

        IPEndPoint? endpoint = null;
        foreach (var text in peer.Endpoints ?? [])
        {
            // The first usable candidate: a server behind a local proxy observes 127.0.0.1, which is no peer's address.
            if (IPEndPoint.TryParse(text, out var parsed) && parsed.Port != 0 && !IPAddress.IsLoopback(parsed.Address)
                && !parsed.Address.Equals(IPAddress.Any) && !parsed.Address.Equals(IPAddress.IPv6Any))
            {
                endpoint = parsed;
                break;
            }
        }

        problem = null;
        return new PeerConfig { PublicKey = key, AllowedIps = allowed, Endpoint = endpoint, PersistentKeepalive = Keepalive };
    }

    private static bool Same(PeerConfig a, PeerConfig b) =>
        Equals(a.Endpoint, b.Endpoint) && a.PersistentKeepalive == b.PersistentKeepalive && a.AllowedIps.SequenceEqual(b.AllowedIps);
}
