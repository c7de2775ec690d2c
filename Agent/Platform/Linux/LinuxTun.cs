using System.Runtime.InteropServices;
using System.Text;
using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Platform.Linux;

/// <summary>
/// A Linux TUN device (/dev/net/tun, IFF_TUN | IFF_NO_PI): raw IP packets, no header. The fd is
/// non-blocking; <see cref="Read"/> polls it together with an eventfd so <see cref="Dispose"/> unblocks a
/// blocked reader. One reader thread and any number of writer threads. The device is created in the
/// network namespace of the calling thread; configure it with <see cref="LinuxInterface"/>.
/// </summary>
public sealed unsafe class LinuxTun : ITunDevice
{
    /// <summary>WireGuard's default MTU (1500 minus the IPv6 + UDP + WireGuard overhead).</summary>
    public const int DefaultMtu = 1420;

    private const int IfNameSize = 16;
    private readonly FdHandle _fd;
    private readonly Wakeup _wakeup = new();
    private readonly byte[]? _staging;
    private TunOffload.Layout _layout;
    private int _segment;
    private long _dropped;
    private int _disposed;

    private LinuxTun(FdHandle fd, string name, int mtu, bool offloads)
    {
        _fd = fd;
        Name = name;
        Mtu = mtu;
        Offloads = offloads;
        _staging = offloads ? new byte[TunOffload.VnetHeaderSize + 65536] : null;
    }

    public string Name { get; }

    public int Mtu { get; }

    /// <summary>
    /// True with IFF_VNET_HDR + TSO: the kernel hands over TCP super-packets (one read per up to 64 KiB)
    /// that <see cref="Read"/> splits into MTU-sized segments, and partial checksums it completes.
    /// </summary>
    public bool Offloads { get; }

    /// <summary>Packets read that could not be handled (odd offload layouts, too big for the caller's buffer).</summary>
    public long DroppedReads => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Creates (or attaches to) TUN device <paramref name="name"/> (at most 15 bytes; "hc%d" lets the kernel
    /// pick a number). Needs CAP_NET_ADMIN. Throws <see cref="IOException"/> naming the device and errno.
    /// </summary>
    public static LinuxTun Create(string name, int mtu = DefaultMtu, bool offloads = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Encoding.UTF8.GetByteCount(name) >= IfNameSize)
        {
            throw new ArgumentException($"create TUN '{name}': interface names are at most {IfNameSize - 1} bytes", nameof(name));
        }

        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("LinuxTun needs Linux");
        }

        var fd = LibC.Open("/dev/net/tun", LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            throw new IOException(LibC.Error($"create TUN '{name}': open /dev/net/tun", Marshal.GetLastPInvokeError()));
        }

        var handle = new FdHandle(fd);
        var request = stackalloc byte[40];
        new Span<byte>(request, 40).Clear();
        Encoding.UTF8.GetBytes(name, new Span<byte>(request, IfNameSize - 1));
        *(short*)(request + IfNameSize) = (short)(LibC.IFF_TUN | LibC.IFF_NO_PI | (offloads ? LibC.IFF_VNET_HDR : 0));
        if (LibC.Ioctl(fd, LibC.TUNSETIFF, request) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            var hint = errno switch
            {
                LibC.EPERM => " (needs root or CAP_NET_ADMIN)",
                LibC.EBUSY => " (the interface is in use: another agent, or not a TUN device)",
                _ => "",
            };
            throw new IOException(LibC.Error($"create TUN '{name}': ioctl TUNSETIFF{hint}", errno));
        }

        var actual = Encoding.UTF8.GetString(new ReadOnlySpan<byte>(request, IfNameSize).TrimEnd((byte)0));
        if (offloads && LibC.Ioctl(fd, LibC.TUNSETOFFLOAD, (void*)(nuint)(TunOffload.TunFCsum | TunOffload.TunFTso4 | TunOffload.TunFTso6)) < 0)
        {
            // No TSO: the header stays (all zero flags), packets come one by one.
            _ = Marshal.GetLastPInvokeError();
        }

        return new LinuxTun(handle, actual, mtu, offloads);
    }

    public int Read(byte[][] packets, int[] sizes, int offset)
    {
        var added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            var fd = _fd.Fd;
            var count = 0;
            while (_staging is not null)
            {
                count = ReadOffloaded(fd, packets, sizes, offset);
                if (count > 0)
                {
                    return count;
                }

                if (!_wakeup.Wait(fd, LibC.POLLIN))
                {
                    return 0;
                }
            }

            while (count == 0)
            {
                if (!_wakeup.Wait(fd, LibC.POLLIN))
                {
                    return 0;
                }

                while (count < packets.Length)
                {
                    var buffer = packets[count];
                    nint n;
                    fixed (byte* p = buffer)
                    {
                        n = LibC.Read(fd, p + offset, (nuint)(buffer.Length - offset));
                    }

                    if (n < 0)
                    {
                        var errno = Marshal.GetLastPInvokeError();
                        if (errno is LibC.EAGAIN or LibC.EINTR)
                        {
                            break;
                        }

                        throw new IOException(LibC.Error($"read TUN '{Name}'", errno));
                    }

                    sizes[count++] = (int)n;
                }
            }

            return count;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }
    }

    public void Write(byte[][] packets, int[] sizes, int offset, int count)
    {
        // With offloads, a zero virtio header (no GSO, checksums complete) goes before each packet.
        var header = stackalloc ulong[2];
        header[0] = 0;
        header[1] = 0;
        var vectors = stackalloc LibC.IoVec[2];
        vectors[0] = new LibC.IoVec { Base = header, Length = TunOffload.VnetHeaderSize };
        var added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            var fd = _fd.Fd;
            for (var i = 0; i < count; i++)
            {
                while (true)
                {
                    nint n;
                    fixed (byte* p = packets[i])
                    {
                        if (_staging is null)
                        {
                            n = LibC.Write(fd, p + offset, (nuint)sizes[i]);
                        }
                        else
                        {
                            vectors[1] = new LibC.IoVec { Base = p + offset, Length = (nuint)sizes[i] };
                            n = LibC.Writev(fd, vectors, 2);
                        }
                    }

                    if (n >= 0)
                    {
                        break;
                    }

                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == LibC.EINTR)
                    {
                        continue;
                    }

                    if (errno == LibC.EAGAIN)
                    {
                        if (!_wakeup.Wait(fd, LibC.POLLOUT))
                        {
                            return;
                        }

                        continue;
                    }

                    // The kernel rejected this packet (malformed, interface down): drop it, keep the batch.
                    break;
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // Closed while writing: drop the rest, as a closed device would.
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }
    }

    /// <summary>Non-blocking: pending segments of the last super-packet first, then reads; 0 if nothing is ready.</summary>
    private int ReadOffloaded(int fd, byte[][] packets, int[] sizes, int offset)
    {
        var staging = _staging!;
        var count = 0;
        while (count < packets.Length)
        {
            if (_segment < _layout.Segments)
            {
                var n = TunOffload.WriteSegment(staging.AsSpan(_layout.PacketStart, _layout.PacketLength), _layout, _segment++, packets[count].AsSpan(offset));
                if (n > 0)
                {
                    sizes[count++] = n;
                }
                else
                {
                    Interlocked.Increment(ref _dropped);
                }

                continue;
            }

            nint read;
            fixed (byte* p = staging)
            {
                read = LibC.Read(fd, p, (nuint)staging.Length);
            }

            if (read < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno is LibC.EAGAIN or LibC.EINTR)
                {
                    return count;
                }

                throw new IOException(LibC.Error($"read TUN '{Name}'", errno));
            }

            _segment = 0;
            if (!TunOffload.TryPrepare(staging.AsSpan(0, (int)read), out _layout))
            {
                _layout = default;
                Interlocked.Increment(ref _dropped);
                continue;
            }

            if (_layout.HeaderLength == 0)
            {
                // A plain packet: copy it out whole.
                var destination = packets[count].AsSpan(offset);
                if (_layout.PacketLength <= destination.Length)
                {
                    staging.AsSpan(_layout.PacketStart, _layout.PacketLength).CopyTo(destination);
                    sizes[count++] = _layout.PacketLength;
                }
                else
                {
                    Interlocked.Increment(ref _dropped);
                }

                _layout = default;
            }
        }

        return count;
    }

    /// <summary>Wakes a blocked reader (it returns 0) and closes the device once no call uses it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _wakeup.Signal();
        _fd.Dispose();
        _wakeup.Dispose();
    }
}
