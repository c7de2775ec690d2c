using System.Net;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Engine.Peers;

/// <summary>A snapshot of one peer's counters (what `wg show` prints, plus drops by reason).</summary>
public sealed record PeerStatistics
{
    public required NodeKey PublicKey { get; init; }

    /// <summary>Where packets to the peer go now (follows its latest authenticated packet).</summary>
    public IPEndPoint? Endpoint { get; init; }

    /// <summary>When the latest handshake completed, if any.</summary>
    public DateTimeOffset? LastHandshake { get; init; }

    /// <summary>Bytes of decrypted data received (keepalives count as packets of 0 bytes).</summary>
    public long RxBytes { get; init; }

    public long RxPackets { get; init; }

    /// <summary>Bytes of plaintext data sent (keepalives count as packets of 0 bytes).</summary>
    public long TxBytes { get; init; }

    public long TxPackets { get; init; }

    public long HandshakesCompleted { get; init; }

    public long HandshakeInitiationsSent { get; init; }

    public long DroppedBadMac { get; init; }

    public long DroppedReplay { get; init; }

    public long DroppedDecryptFailure { get; init; }

    public long DroppedBadSourceAddress { get; init; }

    public long DroppedNoRoute { get; init; }

    public long DroppedRateLimited { get; init; }

    public long DroppedMalformed { get; init; }
}
