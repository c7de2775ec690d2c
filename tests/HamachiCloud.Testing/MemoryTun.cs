using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Testing;

/// <summary>
/// In-memory twin of a TUN device: tests <see cref="Inject"/> packets for the engine to read and
/// take what the engine wrote with <see cref="TryTake"/>. Thread-safe; Read blocks until a packet
/// arrives or the device is disposed.
/// </summary>
public sealed class MemoryTun : ITunDevice
{
    private readonly object _gate = new();
    private readonly Queue<byte[]> _toEngine = new();
    private readonly Queue<byte[]> _fromEngine = new();
    private bool _closed;
    private bool _readerBusy;

    public MemoryTun(string name = "mem0", int mtu = 1420)
    {
        Name = name;
        Mtu = mtu;
    }

    public string Name { get; }

    public int Mtu { get; }

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
                return _toEngine.Count == 0 && !_readerBusy;
            }
        }
    }

    /// <summary>Packets the engine has written so far (taken or not).</summary>
    public int WrittenCount { get; private set; }

    /// <summary>Queues a packet as if the OS had routed it into the tunnel.</summary>
    public void Inject(byte[] packet)
    {
        lock (_gate)
        {
            _toEngine.Enqueue(packet.ToArray());
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The oldest packet the engine wrote, waiting up to <paramref name="timeout"/> (real time) for one.</summary>
    public bool TryTake(TimeSpan timeout, out byte[] packet)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_gate)
        {
            while (_fromEngine.Count == 0)
            {
                var left = deadline - Environment.TickCount64;
                if (left <= 0 || _closed)
                {
                    packet = [];
                    return false;
                }

                Monitor.Wait(_gate, (int)left);
            }

            packet = _fromEngine.Dequeue();
            return true;
        }
    }

    /// <summary>Every packet written and not yet taken, without waiting.</summary>
    public List<byte[]> TakeAll()
    {
        lock (_gate)
        {
            var all = _fromEngine.ToList();
            _fromEngine.Clear();
            return all;
        }
    }

    public int Read(byte[][] packets, int[] sizes, int offset)
    {
        lock (_gate)
        {
            _readerBusy = false;
            while (_toEngine.Count == 0 && !_closed)
            {
                Monitor.Wait(_gate);
            }

            var count = 0;
            while (count < packets.Length && _toEngine.Count > 0 && !_closed)
            {
                var packet = _toEngine.Dequeue();
                var length = Math.Min(packet.Length, packets[count].Length - offset);
                packet.AsSpan(0, length).CopyTo(packets[count].AsSpan(offset));
                sizes[count++] = length;
            }

            _readerBusy = count > 0;
            return count;
        }
    }

    public void Write(byte[][] packets, int[] sizes, int offset, int count)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _fromEngine.Enqueue(packets[i].AsSpan(offset, sizes[i]).ToArray());
                WrittenCount++;
            }

            Monitor.PulseAll(_gate);
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
}
