using HamachiCloud.Agent.Engine.Peers;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Engine.Control;

/// <summary>
/// Re-initiates handshakes with freshly added peers that have not completed one yet. When the
/// server announces two peers to each other in the same tick, both add the other and initiate at
/// once; an initiation that arrives before its receiver has added the sender is dropped, and
/// WireGuard retries only after REKEY_TIMEOUT (5 s). A nudge (re-adding the peer, which initiates
/// again) at <see cref="Schedule"/> after the add closes that gap. Fed with engine statistics and
/// <c>now</c>; returns the peers to re-add. Not thread-safe: owned by the daemon's loop.
/// </summary>
public sealed class HandshakeNudge
{
    /// <summary>Delays after the add at which a peer without a handshake is nudged.</summary>
    public static readonly TimeSpan[] Schedule = [TimeSpan.FromMilliseconds(700), TimeSpan.FromMilliseconds(2000)];

    private readonly Dictionary<NodeKey, (DateTimeOffset AddedAt, int Nudges)> _pending = [];

    /// <summary>A peer was added (new, or its config changed) at <paramref name="now"/>.</summary>
    public void Added(NodeKey key, DateTimeOffset now) => _pending[key] = (now, 0);

    public void Removed(NodeKey key) => _pending.Remove(key);

    /// <summary>The peers to re-add now; peers with a handshake, or nudged on every step of the schedule, are forgotten.</summary>
    public IReadOnlyList<NodeKey> Due(IReadOnlyList<PeerStatistics> stats, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var due = new List<NodeKey>();
        foreach (var peer in stats)
        {
            if (!_pending.TryGetValue(peer.PublicKey, out var state))
            {
                continue;
            }

            if (peer.LastHandshake is not null || state.Nudges >= Schedule.Length)
            {
                _pending.Remove(peer.PublicKey);
            }
            else if (now - state.AddedAt >= Schedule[state.Nudges])
            {
                _pending[peer.PublicKey] = (state.AddedAt, state.Nudges + 1);
                due.Add(peer.PublicKey);
            }
        }

        return due;
    }
}
