using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Engine.Send;

/// <summary>
/// A stage's preallocated outgoing datagrams, handed to <see cref="IPacketConn.Send"/> in one batched
/// call. Write into <see cref="Buffer"/>, then <see cref="Commit"/>. Stages flush between packets, outside
/// any lock, once <see cref="ShouldFlush"/>; the capacity leaves headroom above that (a staged queue, a
/// broadcast fan-out) and only a completely full batch flushes itself, possibly under a lock. Each
/// long-lived thread owns one; not thread-safe.
/// </summary>
internal sealed class SendBatch
{
    private readonly IPacketConn _conn;
    private readonly byte[][] _buffers;
    private readonly int[] _sizes;
    private readonly NetEndpoint[] _to;
    private readonly int _flushThreshold;
    private int _count;

    public SendBatch(IPacketConn conn, int flushThreshold, int capacity, int bufferSize)
    {
        _conn = conn;
        _flushThreshold = Math.Min(flushThreshold, capacity);
        _buffers = new byte[capacity][];
        for (var i = 0; i < capacity; i++)
        {
            _buffers[i] = new byte[bufferSize];
        }

        _sizes = new int[capacity];
        _to = new NetEndpoint[capacity];
    }

    /// <summary>Total datagrams handed to the connection (for tests and stats).</summary>
    public long Sent { get; private set; }

    /// <summary>True once a batch's worth is queued: flush at the next point where no lock is held.</summary>
    public bool ShouldFlush => _count >= _flushThreshold;

    /// <summary>The next free datagram buffer.</summary>
    public Span<byte> Buffer => _buffers[_count];

    /// <summary>Queues the first <paramref name="size"/> bytes of <see cref="Buffer"/> for <paramref name="to"/>.</summary>
    public void Commit(int size, NetEndpoint to)
    {
        _sizes[_count] = size;
        _to[_count] = to;
        _count++;
        if (_count == _buffers.Length)
        {
            Flush();
        }
    }

    /// <summary>Sends everything queued. A failing socket loses the batch (UDP semantics) but never the stage.</summary>
    public void Flush()
    {
        if (_count == 0)
        {
            return;
        }

        try
        {
            _conn.Send(_buffers, _sizes, 0, _to, _count);
            Sent += _count;
        }
        catch (ObjectDisposedException)
        {
            // Shutting down.
        }
        catch (IOException)
        {
            // Like a lost datagram; WireGuard's timers recover.
        }
        catch (System.Net.Sockets.SocketException)
        {
            // Like a lost datagram; WireGuard's timers recover.
        }
        finally
        {
            _count = 0;
        }
    }
}
