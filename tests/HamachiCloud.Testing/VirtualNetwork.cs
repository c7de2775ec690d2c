using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Testing;

/// <summary>
/// An in-memory UDP network: <see cref="Listen"/> hands out <see cref="IPacketConn"/>s at given
/// endpoints and datagrams move between them synchronously inside Send. Hooks decide per datagram:
/// <see cref="DropWhen"/>, <see cref="DuplicateWhen"/>, <see cref="Tamper"/> (may change the bytes).
/// Every datagram sent by a connection is recorded in <see cref="Log"/> before the hooks run.
/// Thread-safe.
/// </summary>
public sealed class VirtualNetwork
{
    private readonly object _gate = new();
    private readonly Dictionary<NetEndpoint, VirtualPacketConn> _conns = [];
    private readonly List<Datagram> _log = [];

    public Func<Datagram, bool>? DropWhen { get; set; }

    public Func<Datagram, bool>? DuplicateWhen { get; set; }

    public Action<Datagram>? Tamper { get; set; }

    /// <summary>False stops recording (long fuzz runs).</summary>
    public bool Record { get; set; } = true;

    /// <summary>Datagrams to endpoints nobody listens on, and dropped ones.</summary>
    public int Lost { get; private set; }

    /// <summary>Number of datagrams recorded so far.</summary>
    public int LogCount
    {
        get
        {
            lock (_gate)
            {
                return _log.Count;
            }
        }
    }

    /// <summary>Datagrams waiting in some connection's inbox.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _conns.Values.Sum(conn => conn.Pending);
            }
        }
    }

    /// <summary>True when every connection's reader has finished with everything delivered to it.</summary>
    public bool Drained
    {
        get
        {
            lock (_gate)
            {
                return _conns.Values.All(conn => conn.Drained);
            }
        }
    }

    /// <summary>A snapshot of every datagram sent through a connection.</summary>
    public List<Datagram> Log
    {
        get
        {
            lock (_gate)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>Makes an IPv4 endpoint a.b.c.d:port.</summary>
    public static NetEndpoint Endpoint(string address, ushort port) =>
        NetEndpoint.From(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(address), port));

    public VirtualPacketConn Listen(NetEndpoint at)
    {
        lock (_gate)
        {
            var conn = new VirtualPacketConn(this, at);
            _conns.Add(at, conn);
            return conn;
        }
    }

    /// <summary>Moves <paramref name="conn"/> to <paramref name="to"/>, as a NAT rebinding or a roaming laptop would.</summary>
    public void Rebind(VirtualPacketConn conn, NetEndpoint to)
    {
        lock (_gate)
        {
            _conns.Remove(conn.Endpoint);
            conn.Endpoint = to;
            _conns.Add(to, conn);
        }
    }

    /// <summary>Delivers a datagram with any source address (spoofing, replays, fuzzing); bypasses the hooks and the log.</summary>
    public void Inject(NetEndpoint from, NetEndpoint to, byte[] data)
    {
        VirtualPacketConn? target;
        lock (_gate)
        {
            _conns.TryGetValue(to, out target);
        }

        target?.Enqueue(from, data.ToArray());
    }

    internal void Transmit(NetEndpoint from, NetEndpoint to, ReadOnlySpan<byte> data)
    {
        var datagram = new Datagram(from, to, data.ToArray());
        VirtualPacketConn? target;
        lock (_gate)
        {
            if (Record)
            {
                _log.Add(datagram with { Data = datagram.Data.ToArray() });
            }

            _conns.TryGetValue(to, out target);
            if (target is null || DropWhen?.Invoke(datagram) == true)
            {
                Lost++;
                return;
            }
        }

        Tamper?.Invoke(datagram);
        target.Enqueue(from, datagram.Data);
        if (DuplicateWhen?.Invoke(datagram) == true)
        {
            target.Enqueue(from, datagram.Data.ToArray());
        }
    }

    internal void Close(VirtualPacketConn conn)
    {
        lock (_gate)
        {
            if (_conns.TryGetValue(conn.Endpoint, out var current) && current == conn)
            {
                _conns.Remove(conn.Endpoint);
            }
        }
    }
}
