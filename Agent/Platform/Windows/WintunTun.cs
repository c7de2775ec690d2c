using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Platform.Windows;

/// <summary>
/// A Wintun adapter and session on Windows: packets are copied out of / into Wintun's shared rings.
/// <see cref="Read"/> waits on the session's read event and a quit event, so <see cref="Dispose"/>
/// unblocks a blocked reader. One reader thread; writes are serialized. Needs wintun.dll next to the
/// executable (the error says so) and administrator rights.
/// </summary>
[SupportedOSPlatform("windows")]
public sealed unsafe class WintunTun : ITunDevice
{
    /// <summary>Ring capacity: 4 MiB (a power of two between 128 KiB and 64 MiB).</summary>
    public const uint DefaultRingCapacity = 0x400000;

    private readonly WintunApi _api;
    private readonly nint _adapter;
    private readonly nint _session;
    private readonly nint _readEvent;
    private readonly nint _quitEvent;
    private readonly Lock _readLock = new();
    private readonly Lock _writeLock = new();
    private volatile bool _closed;
    private long _droppedWrites;

    private WintunTun(WintunApi api, nint adapter, nint session, nint quitEvent, string name, int mtu)
    {
        _api = api;
        _adapter = adapter;
        _session = session;
        _readEvent = api.GetReadWaitEvent(session);
        _quitEvent = quitEvent;
        Name = name;
        Mtu = mtu;
    }

    public string Name { get; }

    public int Mtu { get; }

    /// <summary>Packets dropped because the send ring was full.</summary>
    public long DroppedWrites => Interlocked.Read(ref _droppedWrites);

    /// <summary>Creates adapter <paramref name="name"/> (tunnel type "HamachiCloud") and starts a session.</summary>
    public static WintunTun Create(string name, int mtu = 1420, uint ringCapacity = DefaultRingCapacity)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var api = WintunApi.Get();
        nint adapter;
        fixed (char* namePointer = name)
        fixed (char* typePointer = "HamachiCloud")
        {
            adapter = api.CreateAdapter(namePointer, typePointer, null);
        }

        if (adapter == 0)
        {
            throw new IOException($"create Wintun adapter '{name}': WintunCreateAdapter failed, error {Marshal.GetLastSystemError()} (administrator rights needed)");
        }

        var session = api.StartSession(adapter, ringCapacity);
        if (session == 0)
        {
            var error = Marshal.GetLastSystemError();
            api.CloseAdapter(adapter);
            throw new IOException($"create Wintun adapter '{name}': WintunStartSession failed, error {error}");
        }

        var quit = Kernel32.CreateEvent(0, manualReset: true, initialState: false, 0);
        if (quit == 0)
        {
            var error = Marshal.GetLastPInvokeError();
            api.EndSession(session);
            api.CloseAdapter(adapter);
            throw new IOException($"create Wintun adapter '{name}': CreateEvent failed, error {error}");
        }

        return new WintunTun(api, adapter, session, quit, name, mtu);
    }

    public int Read(byte[][] packets, int[] sizes, int offset)
    {
        lock (_readLock)
        {
            var count = 0;
            while (!_closed && count < packets.Length)
            {
                uint size;
                var packet = _api.ReceivePacket(_session, &size);
                if (packet is null)
                {
                    var error = Marshal.GetLastSystemError();
                    if (error == WintunApi.ErrorHandleEof)
                    {
                        return count;
                    }

                    if (count > 0)
                    {
                        return count;
                    }

                    if (error != WintunApi.ErrorNoMoreItems)
                    {
                        throw new IOException($"read Wintun '{Name}': WintunReceivePacket failed, error {error}");
                    }

                    if (!WaitReadable())
                    {
                        return 0;
                    }

                    continue;
                }

                var destination = packets[count].AsSpan(offset);
                var length = (int)Math.Min(size, (uint)destination.Length);
                new ReadOnlySpan<byte>(packet, length).CopyTo(destination);
                _api.ReleaseReceivePacket(_session, packet);
                sizes[count++] = length;
            }

            return count;
        }
    }

    public void Write(byte[][] packets, int[] sizes, int offset, int count)
    {
        lock (_writeLock)
        {
            for (var i = 0; i < count && !_closed; i++)
            {
                var packet = _api.AllocateSendPacket(_session, (uint)sizes[i]);
                if (packet is null)
                {
                    // ERROR_BUFFER_OVERFLOW: the ring is full; drop as a NIC would. ERROR_HANDLE_EOF: closing.
                    Interlocked.Increment(ref _droppedWrites);
                    continue;
                }

                packets[i].AsSpan(offset, sizes[i]).CopyTo(new Span<byte>(packet, sizes[i]));
                _api.SendPacket(_session, packet);
            }
        }
    }

    /// <summary>Wakes a blocked reader (it returns 0), ends the session and removes the adapter.</summary>
    public void Dispose()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        Kernel32.SetEvent(_quitEvent);
        lock (_readLock)
        {
            lock (_writeLock)
            {
                _api.EndSession(_session);
                _api.CloseAdapter(_adapter);
                Kernel32.CloseHandle(_quitEvent);
            }
        }
    }

    private bool WaitReadable()
    {
        var handles = stackalloc nint[2] { _readEvent, _quitEvent };
        var result = Kernel32.WaitForMultipleObjects(2, handles, waitAll: false, Kernel32.Infinite);
        return result == Kernel32.WaitObject0 && !_closed;
    }
}
