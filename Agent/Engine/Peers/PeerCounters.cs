namespace HamachiCloud.Agent.Engine.Peers;

/// <summary>A peer's live counters, updated with Interlocked from any pipeline stage.</summary>
internal sealed class PeerCounters
{
    private readonly long[] _drops = new long[Enum.GetValues<DropReason>().Length];
    private long _rxBytes;
    private long _rxPackets;
    private long _txBytes;
    private long _txPackets;
    private long _handshakesCompleted;
    private long _initiationsSent;

    public void Received(int bytes)
    {
        Interlocked.Add(ref _rxBytes, bytes);
        Interlocked.Increment(ref _rxPackets);
    }

    public void Sent(int bytes)
    {
        Interlocked.Add(ref _txBytes, bytes);
        Interlocked.Increment(ref _txPackets);
    }

    public void Drop(DropReason reason) => Interlocked.Increment(ref _drops[(int)reason]);

    public void HandshakeCompleted() => Interlocked.Increment(ref _handshakesCompleted);

    public void InitiationSent() => Interlocked.Increment(ref _initiationsSent);

    public PeerStatistics Snapshot(Peer peer, DateTimeOffset? lastHandshake, IO.NetEndpoint? endpoint) => new()
    {
        PublicKey = peer.PublicKey,
        Endpoint = endpoint?.ToIPEndPoint(),
        LastHandshake = lastHandshake,
        RxBytes = Interlocked.Read(ref _rxBytes),
        RxPackets = Interlocked.Read(ref _rxPackets),
        TxBytes = Interlocked.Read(ref _txBytes),
        TxPackets = Interlocked.Read(ref _txPackets),
        HandshakesCompleted = Interlocked.Read(ref _handshakesCompleted),
        HandshakeInitiationsSent = Interlocked.Read(ref _initiationsSent),
        DroppedBadMac = Interlocked.Read(ref _drops[(int)DropReason.BadMac]),
        DroppedReplay = Interlocked.Read(ref _drops[(int)DropReason.Replay]),
        DroppedDecryptFailure = Interlocked.Read(ref _drops[(int)DropReason.DecryptFailure]),
        DroppedBadSourceAddress = Interlocked.Read(ref _drops[(int)DropReason.BadSourceAddress]),
        DroppedNoRoute = Interlocked.Read(ref _drops[(int)DropReason.NoRoute]),
        DroppedRateLimited = Interlocked.Read(ref _drops[(int)DropReason.RateLimited]),
        DroppedMalformed = Interlocked.Read(ref _drops[(int)DropReason.Malformed]),
    };
}
