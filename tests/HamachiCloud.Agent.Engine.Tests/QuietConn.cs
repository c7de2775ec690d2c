using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Engine.Tests;

/// <summary>One end of a <see cref="QuietConn.Pair"/>: datagrams go into the other end's fixed ring (Send waits for room).</summary>
internal sealed class QuietConn : IPacketConn
{
    private const int Slots = 256;
    private readonly object _gate = new();
    private readonly byte[][] _ring = new byte[Slots][];
    private readonly int[] _lengths = new int[Slots];
    private int _head;
    private int _count;
    private bool _closed;
    private QuietConn? _other;

    private QuietConn(NetEndpoint endpoint)
    {
        Endpoint = endpoint;
        for (var i = 0; i < Slots; i++)
        {
            _ring[i] = new byte[2048];
        }
    }

    public NetEndpoint Endpoint { get; }

    public ushort LocalPort => Endpoint.Port;

    public static (QuietConn, QuietConn) Pair(NetEndpoint a, NetEndpoint b)
    {
        var first = new QuietConn(a);
        var second = new QuietConn(b);
        first._other = second;
        second._other = first;
        return (first, second);
    }

    public int Receive(byte[][] buffers, int[] sizes, NetEndpoint[] from)
    {
        lock (_gate)
        {
            while (_count == 0 && !_closed)
            {
                Monitor.Wait(_gate);
            }

            var n = 0;
            while (!_closed && _count > 0 && n < buffers.Length)
            {
                _ring[_head].AsSpan(0, _lengths[_head]).CopyTo(buffers[n]);
                sizes[n] = _lengths[_head];
                from[n++] = _other!.Endpoint;
                _head = (_head + 1) % Slots;
                _count--;
            }

            Monitor.PulseAll(_gate);
            return n;
        }
    }

    public void Send(byte[][] buffers, int[] sizes, int offset, NetEndpoint[] to, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (to[i] == _other!.Endpoint)
            {
                _other.Deliver(buffers[i].AsSpan(offset, sizes[i]));
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
        }
    }

    private void Deliver(ReadOnlySpan<byte> datagram)
    {
        lock (_gate)
        {
            while (_count == Slots && !_closed)
            {
                Monitor.Wait(_gate);
            }

            if (_closed)
            {
                return;
            }

            var tail = (_head + _count) % Slots;
            datagram.CopyTo(_ring[tail]);
            _lengths[tail] = datagram.Length;
            _count++;
            Monitor.PulseAll(_gate);
        }
    }
}
