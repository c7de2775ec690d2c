using System.Buffers.Binary;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Engine.Packets;
using HamachiCloud.Agent.Engine.Peers;
using HamachiCloud.Agent.Engine.Send;
using HamachiCloud.Protocol.WireGuard;

namespace HamachiCloud.Agent.Engine.Device;

/// <summary>
/// Inbound stage, in wireguard-go's order:
/// 1. receive a batch of datagrams;
/// 2. classify by type and length (anything else: count as malformed, drop, never answer);
/// 3. handshake messages and cookie replies go to the handshake stage;
/// 4. transport messages: find the session by receiver index, authenticate and decrypt, then the
///    replay window (inside <see cref="TransportSession.Open"/>), then roaming (the endpoint follows
///    the latest authenticated packet), timers, the source address against the peer's allowed IPs;
/// 5. write the batch of decrypted packets to the TUN device. Received broadcast copies are only
///    written, never sent on.
/// </summary>
public sealed partial class WireGuardDevice
{
    private void RunInbound()
    {
        var batch = _options.BatchSize;
        var datagrams = new byte[batch][];
        var plain = new byte[batch][];
        for (var i = 0; i < batch; i++)
        {
            datagrams[i] = new byte[_bufferSize];
            plain[i] = new byte[_bufferSize];
        }

        var sizes = new int[batch];
        var from = new NetEndpoint[batch];
        var plainSizes = new int[batch];
        var send = NewSendBatch();
        while (!_stopping)
        {
            int count;
            try
            {
                count = _conn.Receive(datagrams, sizes, from);
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
            var written = 0;
            for (var i = 0; i < count; i++)
            {
                try
                {
                    if (Receive(datagrams[i].AsSpan(0, Math.Min(sizes[i], _bufferSize)), sizes[i], from[i], now, plain[written], send, out var length))
                    {
                        plainSizes[written++] = length;
                    }
                }
                catch (Exception) when (!_stopping)
                {
                    // Input must never take the stage down; count it and move on.
                    Interlocked.Increment(ref _malformed);
                }

                if (send.ShouldFlush)
                {
                    send.Flush();
                }
            }

            if (written > 0)
            {
                WriteTun(plain, plainSizes, written);
            }

            send.Flush();
            Volatile.Write(ref _inboundAllocatedBytes, GC.GetAllocatedBytesForCurrentThread());
        }
    }

    /// <summary>Handles one datagram; true when it produced a packet for the TUN device in <paramref name="plain"/>.</summary>
    private bool Receive(ReadOnlySpan<byte> datagram, int size, NetEndpoint from, DateTimeOffset now, byte[] plain, SendBatch send, out int length)
    {
        length = 0;
        var type = size > _options.MaxDatagramSize ? MessageType.Unknown : DatagramClassifier.Classify(datagram);
        switch (type)
        {
            case MessageType.HandshakeInitiation:
                HandleInitiation(datagram, from, now, send);
                return false;
            case MessageType.HandshakeResponse:
                HandleResponse(datagram, from, now, send);
                return false;
            case MessageType.CookieReply:
                HandleCookieReply(datagram, now);
                return false;
            case MessageType.TransportData:
                return HandleTransport(datagram, from, now, plain, send, out length);
            default:
                Interlocked.Increment(ref _malformed);
                return false;
        }
    }

    private bool HandleTransport(ReadOnlySpan<byte> datagram, NetEndpoint from, DateTimeOffset now, byte[] plain, SendBatch send, out int length)
    {
        length = 0;
        var receiver = BinaryPrimitives.ReadUInt32LittleEndian(datagram[4..]);
        if (!_indexes.TryGet(receiver, out var peer, out var session) || session is null)
        {
            Interlocked.Increment(ref _unknownIndex);
            return false;
        }

        int opened;
        lock (peer.Sync)
        {
            if (peer.Removed || !peer.Holds(session))
            {
                Interlocked.Increment(ref _unknownIndex);
                return false;
            }

            switch (session.Open(datagram, now, plain, out opened))
            {
                case TransportOpenStatus.Opened:
                    break;
                case TransportOpenStatus.Replayed:
                    peer.Counters.Drop(DropReason.Replay);
                    return false;
                case TransportOpenStatus.Malformed:
                    peer.Counters.Drop(DropReason.Malformed);
                    return false;
                default:
                    peer.Counters.Drop(DropReason.DecryptFailure);
                    return false;
            }

            // Authenticated from here on: only now may the endpoint move (roaming).
            peer.Endpoint = from;
            peer.HasEndpoint = true;
            if (peer.ConfirmNext(session))
            {
                // As wireguard-go: the initiator's first packet completes the handshake for the responder too
                // (this stops a retry still pending from an initiation of ours that crossed theirs).
                if (peer.Timers.HandshakeInProgress)
                {
                    peer.Timers.OnHandshakeComplete(now, isInitiator: false);
                }

                FlushStaged(peer, session, now, send);
            }

            if (opened == 0)
            {
                peer.Timers.OnKeepaliveReceived(now);
                peer.Counters.Received(0);
                return false;
            }

            peer.Timers.OnDataReceived(now);
        }

        var packet = plain.AsSpan(0, opened);
        if (!IpPacket.TryGetLength(packet, out length))
        {
            peer.Counters.Drop(DropReason.Malformed);
            return false;
        }

        packet = packet[..length];
        Peer? owner;
        bool allowed;
        lock (_routesLock)
        {
            allowed = _routes.TryLookup(IpPacket.Source(packet), out owner) && owner == peer;
        }

        if (!allowed)
        {
            peer.Counters.Drop(DropReason.BadSourceAddress);
            return false;
        }

        if (IpPacket.IsBroadcastOrMulticast(IpPacket.Destination(packet), _subnetBroadcast) && !peer.InboundBroadcast.TryTake(now))
        {
            peer.Counters.Drop(DropReason.RateLimited);
            return false;
        }

        peer.Counters.Received(length);
        return true;
    }

    private void WriteTun(byte[][] packets, int[] sizes, int count)
    {
        try
        {
            _tun.Write(packets, sizes, 0, count);
        }
        catch (ObjectDisposedException)
        {
            // Shutting down.
        }
        catch (IOException)
        {
            // The interface went away or refused the packet; like a loss.
        }
    }
}
