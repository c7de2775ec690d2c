using System.Net;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Engine.RateLimit;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.WireGuard;

namespace HamachiCloud.Agent.Engine.Peers;

/// <summary>
/// One peer's state. Two locks guard it, always taken in this order: the device's handshake lock
/// (<see cref="Handshake"/>, <see cref="PendingIndex"/>, <see cref="LastInitiationSentAt"/>), then
/// <see cref="Sync"/> (sessions, timers, endpoint, staged packets). Sessions are disposed only under
/// <see cref="Sync"/>, and sealing/opening happens under it, so no stage uses a disposed cipher.
/// Counters are lock-free.
/// </summary>
internal sealed class Peer
{
    private readonly SessionIndexTable _indexes;

    public Peer(NodeKey publicKey, NoiseHandshake handshake, IReadOnlyList<IPNetwork> allowedIps, TimeSpan? persistentKeepalive,
        SessionIndexTable indexes, int stagedPackets, int slotSize, int broadcastRate, DateTimeOffset now)
    {
        PublicKey = publicKey;
        Handshake = handshake;
        AllowedIps = allowedIps;
        _indexes = indexes;
        Timers = new PeerTimers(persistentKeepalive);
        Staged = new StagedQueue(stagedPackets, slotSize);
        InboundBroadcast = new TokenBucket(broadcastRate, now);
    }

    public NodeKey PublicKey { get; }

    public IReadOnlyList<IPNetwork> AllowedIps { get; }

    public Lock Sync { get; } = new();

    public PeerCounters Counters { get; } = new();

    /// <summary>Set once the peer is removed; stages skip it.</summary>
    public volatile bool Removed;

    /// <summary>Asks the timer stage to start a handshake (persistent keepalive peers at start).</summary>
    public volatile bool HandshakeWanted;

    // ---- guarded by the device's handshake lock ----
    public NoiseHandshake Handshake { get; }

    /// <summary>Index of our pending initiation or of the response we sent before its session was bound; 0 = none.</summary>
    public uint PendingIndex { get; set; }

    public DateTimeOffset LastInitiationSentAt { get; set; } = DateTimeOffset.MinValue;

    // ---- guarded by Sync ----
    public PeerTimers Timers { get; }

    public StagedQueue Staged { get; }

    public TransportSession? Current { get; private set; }

    public TransportSession? Previous { get; private set; }

    /// <summary>A responder's session not yet confirmed by the initiator's first packet.</summary>
    public TransportSession? Next { get; private set; }

    public NetEndpoint Endpoint { get; set; }

    public bool HasEndpoint { get; set; }

    public DateTimeOffset? LastHandshake { get; set; }

    // ---- owned by the inbound stage ----
    public TokenBucket InboundBroadcast { get; }

    /// <summary>True when <paramref name="session"/> is one of ours (it may have been retired meanwhile).</summary>
    public bool Holds(TransportSession session) => session == Current || session == Previous || session == Next;

    /// <summary>The session to send on at <paramref name="now"/>, or null (none, or too old).</summary>
    public TransportSession? SendSession(DateTimeOffset now) =>
        Current is { } current && !current.IsExpired(now) && current.NextSendCounter < WireGuardLimits.RejectAfterMessages ? current : null;

    /// <summary>wireguard-go's keypair rotation when a handshake completes. Call under <see cref="Sync"/>.</summary>
    public void Install(TransportSession session)
    {
        if (session.IsInitiator)
        {
            if (Next is { } next)
            {
                Retire(Previous);
                Previous = next;
                Next = null;
                Retire(Current);
            }
            else
            {
                Retire(Previous);
                Previous = Current;
            }

            Current = session;
        }
        else
        {
            Retire(Next);
            Next = session;
            Retire(Previous);
            Previous = null;
        }
    }

    /// <summary>A packet authenticated on <see cref="Next"/>: it becomes current. Call under <see cref="Sync"/>.</summary>
    public bool ConfirmNext(TransportSession session)
    {
        if (session != Next)
        {
            return false;
        }

        Retire(Previous);
        Previous = Current;
        Current = session;
        Next = null;
        return true;
    }

    /// <summary>Erases every session (ZeroKeys, removal). Call under <see cref="Sync"/>.</summary>
    public void ZeroSessions()
    {
        Retire(Current);
        Retire(Previous);
        Retire(Next);
        Current = Previous = Next = null;
    }

    private void Retire(TransportSession? session)
    {
        if (session is not null)
        {
            _indexes.Remove(session.LocalIndex);
            session.Dispose();
        }
    }
}
