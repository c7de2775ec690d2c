using HamachiCloud.Agent.Engine.Packets;
using HamachiCloud.Agent.Engine.Peers;
using HamachiCloud.Agent.Engine.RateLimit;
using HamachiCloud.Agent.Engine.Send;

namespace HamachiCloud.Agent.Engine.Device;

/// <summary>
/// Outbound stage, in wireguard-go's order:
/// 1. read a batch of packets from the TUN device;
/// 2. pick the peer by destination (allowed-IPs trie), or every peer for broadcast/multicast
///    (after the per-source rate cap);
/// 3. with a usable session, seal with the next counter nonce; without one, stage the packet and
///    start a handshake;
/// 4. send the batch with one call.
/// </summary>
public sealed partial class WireGuardDevice
{
    private void RunOutbound()
    {
        var batch = _options.BatchSize;
        var packets = new byte[batch][];
        for (var i = 0; i < batch; i++)
        {
            packets[i] = new byte[_bufferSize];
        }

        var sizes = new int[batch];
        var send = NewSendBatch();
        var limiter = new SourceRateLimiter(_options.BroadcastPacketsPerSecond);
        while (!_stopping)
        {
            int count;
            try
            {
                count = _tun.Read(packets, sizes, 0);
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            if (count <= 0)
            {
                return;
            }

            var now = _time.GetUtcNow();
            for (var i = 0; i < count; i++)
            {
                RouteOutbound(packets[i].AsSpan(0, sizes[i]), now, send, limiter);
                if (send.ShouldFlush)
                {
                    send.Flush();
                }
            }

            send.Flush();
            Volatile.Write(ref _outboundAllocatedBytes, GC.GetAllocatedBytesForCurrentThread());
        }
    }

    private void RouteOutbound(ReadOnlySpan<byte> packet, DateTimeOffset now, SendBatch send, SourceRateLimiter limiter)
    {
        var destination = IpPacket.Destination(packet);
        if (destination.IsEmpty)
        {
            Interlocked.Increment(ref _noRoute);
            return;
        }

        if (IpPacket.IsBroadcastOrMulticast(destination, _subnetBroadcast))
        {
            if (!limiter.TryAcquire(IpPacket.ToKey(IpPacket.Source(packet)), now))
            {
                Interlocked.Increment(ref _rateLimited);
                return;
            }

            foreach (var each in _peerList)
            {
                SendData(each, packet, now, send, broadcast: true);
            }

            return;
        }

        Peer? peer;
        bool found;
        lock (_routesLock)
        {
            found = _routes.TryLookup(destination, out peer);
        }

        if (!found || peer is null)
        {
            Interlocked.Increment(ref _noRoute);
            return;
        }

        SendData(peer, packet, now, send, broadcast: false);
    }

    /// <summary>Seals <paramref name="packet"/> for <paramref name="peer"/>, or stages it and starts a handshake.</summary>
    private void SendData(Peer peer, ReadOnlySpan<byte> packet, DateTimeOffset now, SendBatch send, bool broadcast)
    {
        bool initiate;
        lock (peer.Sync)
        {
            if (peer.Removed)
            {
                return;
            }

            var session = peer.SendSession(now);
            if (broadcast && session is null && !peer.HasEndpoint)
            {
                return; // A broadcast reaches peers with a session or an endpoint only.
            }

            if (session is not null && peer.HasEndpoint && FlushStagedThenSeal(peer, session, packet, now, send))
            {
                initiate = session.ShouldRekeyOnSend(now) && !peer.Timers.HandshakeInProgress;
            }
            else
            {
                if (!peer.Staged.Enqueue(packet))
                {
                    peer.Counters.Drop(DropReason.NoRoute);
                }

                // A responder waits a moment for the initiator to confirm its new session instead of racing it.
                var awaitingConfirmation = peer.Next is { } next && !next.IsExpired(now) && now - next.CreatedAt < Protocol.WireGuard.WireGuardLimits.RekeyTimeout;
                initiate = !awaitingConfirmation && !peer.Timers.HandshakeInProgress;
            }
        }

        if (initiate)
        {
            SendInitiation(peer, now, isRetry: false, send);
        }
    }

    private bool FlushStagedThenSeal(Peer peer, Protocol.WireGuard.TransportSession session, ReadOnlySpan<byte> packet, DateTimeOffset now, SendBatch send)
    {
        if (peer.Staged.Count > 0)
        {
            FlushStaged(peer, session, now, send);
            if (peer.Staged.Count > 0)
            {
                return false;
            }
        }

        if (!session.TrySeal(packet, now, send.Buffer, out var written))
        {
            return false;
        }

        send.Commit(written, peer.Endpoint);
        peer.Counters.Sent(packet.Length);
        peer.Timers.OnDataSent(now);
        return true;
    }
}
