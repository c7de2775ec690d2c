using HamachiCloud.Agent.Engine.Peers;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Engine.Control;

/// <summary>
/// Local liveness of peers the server asked us to verify (it lost them without a goodbye). Their
/// tunnels stay up and keepalives keep probing; a verifying peer that has sent nothing (no
/// handshake, no packet) for <see cref="Timeout"/> is marked offline locally. Fed with engine
/// statistics and <c>now</c>; returns decisions. Not thread-safe: owned by the daemon's control loop.
/// </summary>
public sealed class PeerLiveness
{
    /// <summary>3 × the 25 s keepalive plus a handshake's worth of margin.</summary>
    public static readonly TimeSpan DefaultTimeout = (3 * PeerReconciler.Keepalive) + TimeSpan.FromSeconds(10);

    private readonly Dictionary<NodeKey, (long RxPackets, DateTimeOffset HeardAt)> _heard = [];
    private readonly Dictionary<NodeKey, DateTimeOffset> _verifying = [];
    private readonly HashSet<NodeKey> _offline = [];

    public PeerLiveness(TimeSpan? timeout = null)
    {
        Timeout = timeout ?? DefaultTimeout;
    }

    public TimeSpan Timeout { get; }

    public bool IsVerifying(NodeKey key) => _verifying.ContainsKey(key);

    public bool IsOfflineLocally(NodeKey key) => _offline.Contains(key);

    /// <summary>Start verifying these peers at <paramref name="now"/>.</summary>
    public void Verify(IEnumerable<NodeKey> keys, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            _verifying.TryAdd(key, now);
        }
    }

    /// <summary>The server vouches for this peer again (a fresh map or delta named it): no longer verifying or locally offline.</summary>
    public void Clear(NodeKey key)
    {
        _verifying.Remove(key);
        _offline.Remove(key);
    }

    /// <summary>
    /// Updates what we heard from each peer and returns the peers that just went offline locally,
    /// and the ones that answered (no longer verifying).
    /// </summary>
    public (IReadOnlyList<NodeKey> WentOffline, IReadOnlyList<NodeKey> Answered) Observe(IReadOnlyList<PeerStatistics> stats, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var wentOffline = new List<NodeKey>();
        var answered = new List<NodeKey>();
        foreach (var peer in stats)
        {
            // A packet counter that moved since the last look means we heard from the peer now;
            // the first look knows only the last handshake.
            var heardAt = _heard.TryGetValue(peer.PublicKey, out var seen)
                ? (seen.RxPackets == peer.RxPackets ? seen.HeardAt : now)
                : peer.LastHandshake ?? DateTimeOffset.MinValue;
            _heard[peer.PublicKey] = (peer.RxPackets, heardAt);
            if (!_verifying.TryGetValue(peer.PublicKey, out var since))
            {
                continue;
            }

            var last = Max(heardAt, peer.LastHandshake ?? DateTimeOffset.MinValue);
            if (last > since)
            {
                _verifying.Remove(peer.PublicKey);
                _offline.Remove(peer.PublicKey);
                answered.Add(peer.PublicKey);
            }
            else if (now - last >= Timeout && _offline.Add(peer.PublicKey))
            {
                wentOffline.Add(peer.PublicKey);
            }
        }

        return (wentOffline, answered);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
