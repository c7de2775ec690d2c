using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Testing;

/// <summary>One endpoint of a <see cref="VirtualNetwork"/>: an inbox queue; Receive blocks until a datagram arrives or the connection is disposed.</summary>
public sealed class VirtualPacketConn : IPacketConn
{
    private readonly VirtualNetwork _network;
    private readonly object _gate = new();
    private readonly Queue<(NetEndpoint From, byte[] Data)> _inbox = new();
    private bool _closed;
    private bool _readerBusy;

    internal VirtualPacketConn(VirtualNetwork network, NetEndpoint endpoint)
    {
        _network = network;
        Endpoint = endpoint;
    }

    /// <summary>Where this connection is reachable now (see <see cref="VirtualNetwork.Rebind"/>).</summary>
    public NetEndpoint Endpoint { get; internal set; }

    public ushort LocalPort => Endpoint.Port;

    /// <summary>
    /// True when nothing waits to be read and the reader came back for more after its last batch, i.e.
    /// it has finished with everything handed to it (tests use this to wait for quiescence).
    /// </summary>
    public bool Drained
    {
        get
        {
            lock (_gate)
            {
                return _inbox.Count == 0 && !_readerBusy;
            }
        }
    }

    /// <summary>Datagrams delivered and not yet received.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _inbox.Count;
            }
        }
    }

    public int Receive(byte[][] buffers, int[] sizes, NetEndpoint[] from)
    {
        lock (_gate)
        {
            _readerBusy = false;
            while (_inbox.Count == 0 && !_closed)
            {
                Monitor.Wait(_gate);
            }

            var count = 0;
            while (count < buffers.Length && _inbox.Count > 0 && !_closed)
            {
                var (sender, data) = _inbox.Dequeue();
                var length = Math.Min(data.Length, buffers[count].Length);
                data.AsSpan(0, length).CopyTo(buffers[count]);
                sizes[count] = data.Length; // As recvmmsg with MSG_TRUNC: the real length, possibly larger than the buffer.
                from[count++] = sender;
            }

            _readerBusy = count > 0;
            return count;
        }
    }

    public void Send(byte[][] buffers, int[] sizes, int offset, NetEndpoint[] to, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _network.Transmit(Endpoint, to[i], buffers[i].AsSpan(offset, sizes[i]));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
        }

        _network.Close(this);
    }

    internal void Enqueue(NetEndpoint from, byte[] data)
    {
        lock (_gate)
        {
            if (!_closed)
            {
                _inbox.Enqueue((from, data));
                Monitor.PulseAll(_gate);
            }
        }
    }
}
