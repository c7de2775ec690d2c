using System.Buffers.Binary;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Relay;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>
/// The agent's one UDP socket shared by WireGuard, STUN, disco and relay frames (an
/// <see cref="IPacketConn"/> wrapping the real one, handed to the unchanged WireGuard device).
/// Inbound, per datagram (<see cref="DatagramClass"/>): WireGuard stays in the batch; STUN goes to
/// <see cref="StunHandler"/>; disco to <see cref="DiscoHandler"/>; a relay Recv frame from a known relay
/// becomes the WireGuard datagram inside it, from the virtual endpoint (relay, peer)
/// (<see cref="VirtualEndpoint"/>), or its disco payload goes to the disco handler from that endpoint;
/// BindOk/Challenge/Refused go to <see cref="RelayControl"/>; everything else is dropped and counted.
/// Outbound, datagrams to a virtual endpoint become relay Send frames to the relay's UDP endpoint
/// (moved 36 bytes up in the caller's buffer, which needs that headroom) or are queued to the
/// relay's <see cref="IRelayChannel"/> (WebSocket); others pass through untouched.
/// The WireGuard path allocates nothing: one compare per datagram each way. Frames arriving over a
/// WebSocket are re-injected into the socket through <see cref="Inject"/> so the device's blocking
/// receive sees them. Thread-safe; tables are copy-on-write. Owns the inner connection.
/// </summary>
public sealed class SocketMux : IPacketConn
{
    /// <summary>
    /// The overlay MTU of an agent that may relay: a full-size packet's WireGuard datagram (32 bytes of
    /// header and tag) wrapped in a relay frame (<see cref="RelayFrame.DataOverhead"/>, 36) still fits one
    /// 1500-byte IPv6 underlay packet (40 + 8 bytes of headers): 1384. WireGuard's usual 1420 leaves no
    /// room for the relay frame: relayed full-size datagrams would exceed the underlay MTU, and a UDP GSO
    /// batch of them is refused by the kernel (EINVAL), so bulk TCP through a UDP relay stalls.
    /// </summary>
    public const int OverlayMtu = 1500 - 40 - 8 - RelayFrame.DataOverhead - 32;

    private const int InjectTrailer = 2;

    private readonly IPacketConn _inner;
    private readonly NetEndpoint _self;
    private readonly Lock _tableLock = new();
    private readonly Lock _rawLock = new();
    private readonly byte[][] _rawBuffers = [new byte[65536 + 64]];
    private readonly int[] _rawSizes = new int[1];
    private readonly NetEndpoint[] _rawTo = new NetEndpoint[1];
    private volatile Tables _tables = Tables.Empty;

    private long _wireGuard;
    private long _stun;
    private long _disco;
    private long _relayData;
    private long _relayControl;
    private long _malformed;
    private long _unknownRelay;
    private long _unknownRelayPeer;
    private long _sendDropped;
    private long _relaySent;

    /// <param name="inner">The real socket (owned).</param>
    /// <param name="self">
    /// An address at which <paramref name="inner"/> receives its own datagrams (127.0.0.1:port on a
    /// real host), used to re-inject frames received over a WebSocket. Datagrams from it are trusted
    /// only when they carry the injection trailer of a WebSocket relay.
    /// </param>
    public SocketMux(IPacketConn inner, NetEndpoint self)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _self = self;
    }

    public ushort LocalPort => _inner.LocalPort;

    /// <summary>STUN responses (the NAT probe registers here).</summary>
    public DatagramHandler? StunHandler { get; set; }

    /// <summary>Disco messages, direct or through a relay (then from the virtual endpoint).</summary>
    public DatagramHandler? DiscoHandler { get; set; }

    /// <summary>BindOk and Refused frames from known relays.</summary>
    public RelayControlHandler? RelayControl { get; set; }

    /// <summary>Registers the STUN handler (the NAT probe's <c>OnStunDatagram</c>).</summary>
    public void RegisterStunHandler(DatagramHandler handler) => StunHandler = handler;

    public MuxStatistics Statistics => new(
        Volatile.Read(ref _wireGuard), Interlocked.Read(ref _stun), Interlocked.Read(ref _disco), Interlocked.Read(ref _relayData),
        Interlocked.Read(ref _relayControl), Interlocked.Read(ref _malformed), Interlocked.Read(ref _unknownRelay),
        Interlocked.Read(ref _unknownRelayPeer), Interlocked.Read(ref _sendDropped), Interlocked.Read(ref _relaySent));

    /// <summary>Registers a relay reachable at <paramref name="udp"/> (its frames are accepted only from there); returns its index.</summary>
    public int AddRelay(NetEndpoint udp)
    {
        lock (_tableLock)
        {
            var t = _tables;
            for (var i = 0; i < t.Relays.Length; i++)
            {
                if (t.Relays[i].Udp == udp)
                {
                    return i;
                }
            }

            _tables = t with { Relays = [.. t.Relays, new RelayLink(udp, null)] };
            return t.Relays.Length;
        }
    }

    /// <summary>Sends relay <paramref name="relayIndex"/>'s traffic over <paramref name="channel"/> (WebSocket) instead of UDP; null returns to UDP.</summary>
    public void SetRelayChannel(int relayIndex, IRelayChannel? channel)
    {
        lock (_tableLock)
        {
            var relays = _tables.Relays.ToArray();
            relays[relayIndex] = relays[relayIndex] with { Channel = channel };
            _tables = _tables with { Relays = relays };
        }
    }

    /// <summary>The UDP endpoint of relay <paramref name="relayIndex"/>.</summary>
    public NetEndpoint RelayEndpoint(int relayIndex) => _tables.Relays[relayIndex].Udp;

    /// <summary>The virtual endpoint for <paramref name="peer"/> through relay <paramref name="relayIndex"/> (registers the peer).</summary>
    public NetEndpoint VirtualFor(int relayIndex, NodeKey peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var key = Key32.From(peer.Bytes);
        lock (_tableLock)
        {
            var t = _tables;
            if (!t.PeerIndexes.TryGetValue(key, out var index))
            {
                index = t.PeerKeys.Length;
                var indexes = new Dictionary<Key32, int>(t.PeerIndexes) { [key] = index };
                _tables = t with { PeerIndexes = indexes, PeerKeys = [.. t.PeerKeys, peer.Bytes.ToArray()] };
            }

            return VirtualEndpoint.For(relayIndex, index);
        }
    }

    /// <summary>The peer behind a virtual endpoint, or null.</summary>
    public NodeKey? PeerOf(NetEndpoint virtualEndpoint)
    {
        var (_, peer) = VirtualEndpoint.Decode(virtualEndpoint);
        var keys = _tables.PeerKeys;
        return VirtualEndpoint.IsVirtual(virtualEndpoint) && (uint)peer < (uint)keys.Length ? NodeKey.FromBytes(keys[peer]) : null;
    }

    public int Receive(byte[][] buffers, int[] sizes, NetEndpoint[] from)
    {
        while (true)
        {
            var n = _inner.Receive(buffers, sizes, from);
            if (n == 0)
            {
                return 0;
            }

            var kept = 0;
            var wireGuard = 0;
            for (var i = 0; i < n; i++)
            {
                var buffer = buffers[i];
                var size = sizes[i];
                if ((uint)size <= (uint)buffer.Length && size >= 4 && (BinaryPrimitives.ReadUInt32LittleEndian(buffer) - 1) < 4)
                {
                    wireGuard++;
                    if (i != kept)
                    {
                        Keep(buffers, sizes, from, i, kept);
                    }

                    kept++;
                    continue;
                }

                if (size > buffer.Length)
                {
                    Interlocked.Increment(ref _malformed); // truncated
                    continue;
                }

                if (ReceiveOther(buffer, ref sizes[i], ref from[i]))
                {
                    Keep(buffers, sizes, from, i, kept++);
                }
            }

            _wireGuard += wireGuard; // only the receiving thread writes it

            if (kept > 0)
            {
                return kept;
            }
        }
    }

    public void Send(byte[][] buffers, int[] sizes, int offset, NetEndpoint[] to, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (VirtualEndpoint.IsVirtual(to[i]))
            {
                SendMixed(buffers, sizes, offset, to, count);
                return;
            }
        }

        _inner.Send(buffers, sizes, offset, to, count);
    }

    /// <summary>Sends one datagram (disco, STUN, relay Bind); a virtual destination wraps it for the relay. Thread-safe.</summary>
    public void SendRaw(ReadOnlySpan<byte> datagram, NetEndpoint to)
    {
        lock (_rawLock)
        {
            datagram.CopyTo(_rawBuffers[0]);
            _rawSizes[0] = datagram.Length;
            _rawTo[0] = to;
            Send(_rawBuffers, _rawSizes, 0, _rawTo, 1);
        }
    }

    /// <summary>
    /// Feeds a frame received from relay <paramref name="relayIndex"/> over its WebSocket into the
    /// socket (sent to the self address with a trailer naming the relay), so the device's receive
    /// loop handles it like a UDP frame.
    /// </summary>
    public void Inject(int relayIndex, ReadOnlySpan<byte> frame)
    {
        if (frame.Length + InjectTrailer > _rawBuffers[0].Length - 64)
        {
            Interlocked.Increment(ref _malformed);
            return;
        }

        lock (_rawLock)
        {
            frame.CopyTo(_rawBuffers[0]);
            _rawBuffers[0][frame.Length] = (byte)(relayIndex >> 8);
            _rawBuffers[0][frame.Length + 1] = (byte)relayIndex;
            _rawSizes[0] = frame.Length + InjectTrailer;
            _rawTo[0] = _self;
            _inner.Send(_rawBuffers, _rawSizes, 0, _rawTo, 1);
        }
    }

    public void Dispose() => _inner.Dispose();

    private static void Keep(byte[][] buffers, int[] sizes, NetEndpoint[] from, int i, int kept)
    {
        if (i != kept)
        {
            (buffers[kept], buffers[i]) = (buffers[i], buffers[kept]);
            sizes[kept] = sizes[i];
            from[kept] = from[i];
        }
    }

    /// <summary>Handles a non-WireGuard datagram; true when it became a WireGuard datagram to keep (size and source rewritten).</summary>
    private bool ReceiveOther(byte[] buffer, ref int size, ref NetEndpoint from)
    {
        var span = buffer.AsSpan(0, size);
        switch (DatagramClass.Classify(span))
        {
            case DatagramKind.Stun:
                Interlocked.Increment(ref _stun);
                StunHandler?.Invoke(span, from);
                return false;
            case DatagramKind.Disco:
                Interlocked.Increment(ref _disco);
                DiscoHandler?.Invoke(span, from);
                return false;
            case DatagramKind.Relay:
                return ReceiveRelay(buffer, ref size, ref from);
            default:
                Interlocked.Increment(ref _malformed);
                return false;
        }
    }

    private bool ReceiveRelay(byte[] buffer, ref int size, ref NetEndpoint from)
    {
        var t = _tables;
        var relayIndex = -1;
        var frameSize = size;
        if (from == _self && size > InjectTrailer)
        {
            frameSize = size - InjectTrailer;
            var injected = (buffer[frameSize] << 8) | buffer[frameSize + 1];
            relayIndex = injected < t.Relays.Length && t.Relays[injected].Channel is not null ? injected : -1;
        }
        else
        {
            for (var r = 0; r < t.Relays.Length; r++)
            {
                if (t.Relays[r].Udp == from)
                {
                    relayIndex = r;
                    break;
                }
            }
        }

        if (relayIndex < 0)
        {
            Interlocked.Increment(ref _unknownRelay);
            return false;
        }

        var span = buffer.AsSpan(0, frameSize);
        if (!RelayFrame.TryParse(span, out var frame))
        {
            Interlocked.Increment(ref _malformed);
            return false;
        }

        if (frame.Type != RelayFrameType.Recv)
        {
            Interlocked.Increment(ref _relayControl);
            RelayControl?.Invoke(relayIndex, span);
            return false;
        }

        if (!t.PeerIndexes.TryGetValue(Key32.From(frame.Key), out var peerIndex))
        {
            Interlocked.Increment(ref _unknownRelayPeer);
            return false;
        }

        var payload = frame.Payload;
        var source = VirtualEndpoint.For(relayIndex, peerIndex);
        if (DatagramClass.IsWireGuard(payload))
        {
            Interlocked.Increment(ref _relayData);
            var payloadLength = payload.Length;
            Buffer.BlockCopy(buffer, frameSize - payloadLength, buffer, 0, payloadLength);
            size = payloadLength;
            from = source;
            return true;
        }

        if (DatagramClass.Classify(payload) == DatagramKind.Disco)
        {
            Interlocked.Increment(ref _disco);
            DiscoHandler?.Invoke(payload, source);
            return false;
        }

        Interlocked.Increment(ref _malformed);
        return false;
    }

    private void SendMixed(byte[][] buffers, int[] sizes, int offset, NetEndpoint[] to, int count)
    {
        var t = _tables;
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            if (VirtualEndpoint.IsVirtual(to[i]) && !WrapForRelay(t, buffers[i], ref sizes[i], offset, ref to[i]))
            {
                continue;
            }

            if (i != kept)
            {
                (buffers[kept], buffers[i]) = (buffers[i], buffers[kept]);
                sizes[kept] = sizes[i];
                to[kept] = to[i];
            }

            kept++;
        }

        if (kept > 0)
        {
            _inner.Send(buffers, sizes, offset, to, kept);
        }
    }

    /// <summary>Rewrites one datagram as a relay Send frame; true when it should go out over UDP (to rewritten), false when queued on a channel or dropped.</summary>
    private bool WrapForRelay(Tables t, byte[] buffer, ref int size, int offset, ref NetEndpoint to)
    {
        var (relayIndex, peerIndex) = VirtualEndpoint.Decode(to);
        if ((uint)relayIndex >= (uint)t.Relays.Length || (uint)peerIndex >= (uint)t.PeerKeys.Length
            || offset + size + RelayFrame.DataOverhead > buffer.Length)
        {
            Interlocked.Increment(ref _sendDropped);
            return false;
        }

        var relay = t.Relays[relayIndex];
        Buffer.BlockCopy(buffer, offset, buffer, offset + RelayFrame.DataOverhead, size);
        if (!RelayFrame.TryWriteSend(buffer.AsSpan(offset), t.PeerKeys[peerIndex], buffer.AsSpan(offset + RelayFrame.DataOverhead, size), out var written))
        {
            Interlocked.Increment(ref _sendDropped);
            return false;
        }

        Interlocked.Increment(ref _relaySent);
        if (relay.Channel is { } channel)
        {
            channel.Enqueue(buffer.AsSpan(offset, written));
            return false;
        }

        size = written;
        to = relay.Udp;
        return true;
    }

    private sealed record RelayLink(NetEndpoint Udp, IRelayChannel? Channel);

    private sealed record Tables(RelayLink[] Relays, Dictionary<Key32, int> PeerIndexes, byte[][] PeerKeys)
    {
        public static readonly Tables Empty = new([], [], []);
    }
}
