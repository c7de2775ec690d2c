using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Engine.Tests;

/// <summary>
/// An allocation-free TUN twin for measuring the engine's own allocations: replays one template
/// packet on demand and counts writes. See also <see cref="QuietConn"/>.
/// </summary>
internal sealed class QuietTun(byte[] template) : ITunDevice
{
    private readonly object _gate = new();
    private long _pending;
    private long _written;
    private bool _closed;

    public string Name => "quiet";

    public int Mtu => 1420;

    public void Feed(long count)
    {
        lock (_gate)
        {
            _pending += count;
            Monitor.PulseAll(_gate);
        }
    }

    public bool WaitWritten(long count, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_gate)
        {
            while (_written < count)
            {
                var left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    return false;
                }

                Monitor.Wait(_gate, (int)left);
            }

            return true;
        }
    }

    public int Read(byte[][] packets, int[] sizes, int offset)
    {
        lock (_gate)
        {
            while (_pending == 0 && !_closed)
            {
                Monitor.Wait(_gate);
            }

            var count = 0;
            while (!_closed && _pending > 0 && count < packets.Length)
            {
                template.CopyTo(packets[count], offset);
                sizes[count++] = template.Length;
                _pending--;
            }

            return count;
        }
    }

    public void Write(byte[][] packets, int[] sizes, int offset, int count)
    {
        lock (_gate)
        {
            _written += count;
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
