using HamachiCloud.Agent.Engine.Peers;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Engine.Control;

/// <summary>
/// Re-initiates handshakes with freshly added peers whose tunnel has carried nothing yet. When the
/// server announces two peers to each other in the same tick, both add the other and initiate at
/// once: an initiation that arrives before its receiver has added the sender is dropped, and two
/// initiations that cross leave both sides with unconfirmed responder sessions (as in
/// wireguard-go); either way WireGuard retries only after REKEY_TIMEOUT (5 s). A nudge (re-adding
/// the peer, which initiates again) at <see cref="Schedule"/> after the add closes that gap. Only
/// the side with the lower node key nudges, so nudges never cross. "Carried nothing" = no packet
/// sent or received (a completed initiator has sent its confirming keepalive; a confirmed
/// responder has received it). Fed with engine statistics and <c>now</c>; returns the peers to
/// re-add. Not thread-safe: owned by the daemon's loop.
/// </summary>
public sealed class HandshakeNudge(NodeKey self)
{
    /// <summary>Delays after the add at which a peer without a handshake is nudged.</summary>
    public static readonly TimeSpan[] Schedule = [TimeSpan.FromMilliseconds(700), TimeSpan.FromMilliseconds(2000)];

    private readonly Dictionary<NodeKey, (DateTimeOffset AddedAt, int Nudges)> _pending = [];

    /// <summary>A peer was added (new, or its config changed) at <paramref name="now"/>.</summary>
    public void Added(NodeKey key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (self.Bytes.SequenceCompareTo(key.Bytes) < 0)
        {
            _pending[key] = (now, 0);
        }
    }

    public void Removed(NodeKey key) => _pending.Remove(key);

    /// <summary>The peers to re-add now; peers whose tunnel carried a packet, or nudged on every step of the schedule, are forgotten.</summary>
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

            if (peer.RxPackets > 0 || peer.TxPackets > 0 || state.Nudges >= Schedule.Length)
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
