using System.Buffers.Binary;
using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Daemon;

/// <summary>
/// Minimal hook that shares the agent's one UDP socket between the WireGuard device and the NAT probe
/// until the traversal socket mux (trav branch, <c>SocketMux</c>) replaces it: inbound STUN datagrams
/// (length ≥ 20, top two bits zero, magic cookie at 4..7) go to <see cref="StunHandler"/> and are kept
/// from the device; everything else passes unchanged. <see cref="SendRaw"/> sends one datagram.
/// Receive: one thread at a time (the device's); SendRaw: thread-safe. Owns the inner connection.
/// </summary>
public sealed class StunTap(IPacketConn inner) : IPacketConn
{
    private const uint MagicCookie = 0x2112A442;

    private readonly Lock _rawLock = new();
    private readonly byte[][] _raw = [GC.AllocateArray<byte>(2048, pinned: true)];
    private readonly int[] _rawSize = new int[1];
    private readonly NetEndpoint[] _rawTo = new NetEndpoint[1];
    private long _stun;

    public ushort LocalPort => inner.LocalPort;

    /// <summary>Gets inbound STUN datagrams (on the receive thread: return quickly, copy what you keep).</summary>
    public Action<ReadOnlySpan<byte>, NetEndpoint>? StunHandler { get; set; }

    /// <summary>STUN datagrams diverted from the device.</summary>
    public long StunReceived => Interlocked.Read(ref _stun);

    public static bool IsStun(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= 20 && (datagram[0] & 0xC0) == 0 && BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == MagicCookie;

    public int Receive(byte[][] buffers, int[] sizes, NetEndpoint[] from)
    {
        while (true)
        {
            var n = inner.Receive(buffers, sizes, from);
            if (n == 0)
            {
                return 0;
            }

            var kept = 0;
            for (var i = 0; i < n; i++)
            {
                var datagram = buffers[i].AsSpan(0, Math.Min(sizes[i], buffers[i].Length));
                if (IsStun(datagram))
                {
                    Interlocked.Increment(ref _stun);
                    StunHandler?.Invoke(datagram, from[i]);
                    continue;
                }

                if (i != kept)
                {
                    (buffers[kept], buffers[i]) = (buffers[i], buffers[kept]);
                    sizes[kept] = sizes[i];
                    from[kept] = from[i];
                }

                kept++;
            }

            if (kept > 0)
            {
                return kept;
            }
        }
    }

    public void Send(byte[][] buffers, int[] sizes, int offset, NetEndpoint[] to, int count) => inner.Send(buffers, sizes, offset, to, count);

    /// <summary>Sends one datagram (at most 2048 bytes) from the socket.</summary>
    public void SendRaw(ReadOnlySpan<byte> datagram, NetEndpoint to)
    {
        lock (_rawLock)
        {
            datagram.CopyTo(_raw[0]);
            _rawSize[0] = datagram.Length;
            _rawTo[0] = to;
            inner.Send(_raw, _rawSize, 0, _rawTo, 1);
        }
    }

    public void Dispose() => inner.Dispose();
}
