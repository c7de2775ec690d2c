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
    private int _disposed;

    private LinuxTun(FdHandle fd, string name, int mtu)
    {
        _fd = fd;
        Name = name;
        Mtu = mtu;
    }

    public string Name { get; }

    public int Mtu { get; }

    /// <summary>
    /// Creates (or attaches to) TUN device <paramref name="name"/> (at most 15 bytes; "hc%d" lets the kernel
    /// pick a number). Needs CAP_NET_ADMIN. Throws <see cref="IOException"/> naming the device and errno.
    /// </summary>
    public static LinuxTun Create(string name, int mtu = DefaultMtu)
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
        *(short*)(request + IfNameSize) = LibC.IFF_TUN | LibC.IFF_NO_PI;
        if (LibC.Ioctl(fd, LibC.TUNSETIFF, request) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw new IOException(LibC.Error($"create TUN '{name}': ioctl TUNSETIFF (needs CAP_NET_ADMIN)", errno));
        }

        var actual = Encoding.UTF8.GetString(new ReadOnlySpan<byte>(request, IfNameSize).TrimEnd((byte)0));
        return new LinuxTun(handle, actual, mtu);
    }

    public int Read(byte[][] packets, int[] sizes, int offset)
    {
        var added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            var fd = _fd.Fd;
            var count = 0;
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
                        n = LibC.Write(fd, p + offset, (nuint)sizes[i]);
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
