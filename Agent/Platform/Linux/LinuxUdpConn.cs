using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Platform.Linux;

/// <summary>
/// The agent's UDP socket on Linux: batched with recvmmsg/sendmmsg (up to 64 datagrams per call) straight
/// into the caller's (pinned) buffers, big kernel buffers, non-blocking fd polled with an eventfd so
/// <see cref="Dispose"/> unblocks a blocked receiver. Dual-stack (IPv6 socket taking IPv4-mapped
/// addresses) unless bound to an IPv4 address or IPv6 is unavailable. Receive: one thread at a time;
/// Send: thread-safe (serialized).
/// </summary>
public sealed unsafe class LinuxUdpConn : IPacketConn
{
    /// <summary>Socket buffer size asked for (as wireguard-go: 7 MiB).</summary>
    public const int DefaultSocketBuffer = 7 << 20;

    private readonly FdHandle _fd;
    private readonly int _family;
    private readonly Wakeup _wakeup = new();
    private readonly MmsgBatch _receive = new();
    private readonly MmsgBatch _send = new();
    private readonly Lock _receiveLock = new();
    private readonly Lock _sendLock = new();
    private long _sendErrors;
    private int _disposed;

    private LinuxUdpConn(FdHandle fd, int family, ushort port)
    {
        _fd = fd;
        _family = family;
        LocalPort = port;
    }

    public ushort LocalPort { get; }

    /// <summary>Datagrams the kernel refused (unreachable, wrong family, ...): dropped, as UDP does.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>
    /// Opens and binds the socket. <paramref name="bind"/> null: all addresses, dual-stack when the kernel
    /// has IPv6. Port 0 picks a free port (see <see cref="LocalPort"/>).
    /// </summary>
    public static LinuxUdpConn Open(ushort port, IPAddress? bind = null, int socketBuffer = DefaultSocketBuffer)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("LinuxUdpConn needs Linux");
        }

        var family = bind is null || bind.AddressFamily == AddressFamily.InterNetworkV6 ? LibC.AF_INET6 : LibC.AF_INET;
        var fd = LibC.Socket(family, LibC.SOCK_DGRAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0 && bind is null && Marshal.GetLastPInvokeError() == LibC.EAFNOSUPPORT)
        {
            family = LibC.AF_INET;
            fd = LibC.Socket(family, LibC.SOCK_DGRAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
        }

        var where = $"UDP {bind?.ToString() ?? "*"}:{port}";
        if (fd < 0)
        {
            throw new IOException(LibC.Error($"open {where}: socket", Marshal.GetLastPInvokeError()));
        }

        var handle = new FdHandle(fd);
        try
        {
            if (family == LibC.AF_INET6 && (bind is null || bind.Equals(IPAddress.IPv6Any)))
            {
                SetOption(fd, LibC.IPPROTO_IPV6, LibC.IPV6_V6ONLY, 0, where);
            }

            SetBuffer(fd, LibC.SO_RCVBUFFORCE, LibC.SO_RCVBUF, socketBuffer, where);
            SetBuffer(fd, LibC.SO_SNDBUFFORCE, LibC.SO_SNDBUF, socketBuffer, where);
            var address = default(LibC.SockAddr);
            address.Family = (ushort)family;
            address.PortBigEndian = (ushort)IPAddress.HostToNetworkOrder((short)port);
            var length = family == LibC.AF_INET ? 16u : (uint)sizeof(LibC.SockAddr);
            if (bind is not null)
            {
                var bytes = family == LibC.AF_INET ? new Span<byte>(&address.V4Address, 4) : new Span<byte>(address.V6Address, 16);
                bind.TryWriteBytes(bytes, out _);
            }

            if (LibC.Bind(fd, &address, length) < 0)
            {
                throw new IOException(LibC.Error($"open {where}: bind", Marshal.GetLastPInvokeError()));
            }

            if (LibC.GetSockName(fd, &address, &length) < 0)
            {
                throw new IOException(LibC.Error($"open {where}: getsockname", Marshal.GetLastPInvokeError()));
            }

            return new LinuxUdpConn(handle, family, (ushort)IPAddress.NetworkToHostOrder((short)address.PortBigEndian));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The kernel's receive buffer size (doubled by the kernel for bookkeeping), for tests and logs.</summary>
    public int ReceiveBufferSize
    {
        get
        {
            int value;
            var length = (uint)sizeof(int);
            return LibC.GetSockOpt(_fd.Fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, &value, &length) == 0 ? value : -1;
        }
    }

    public int Receive(byte[][] buffers, int[] sizes, NetEndpoint[] from)
    {
        lock (_receiveLock)
        {
            if (_disposed != 0)
            {
                return 0;
            }

            var max = Math.Min(Math.Min(buffers.Length, MmsgBatch.MaxBatch), Math.Min(sizes.Length, from.Length));
            for (var i = 0; i < max; i++)
            {
                _receive.Set(i, buffers[i], 0, buffers[i].Length);
            }

            var fd = _fd.Fd;
            while (true)
            {
                var n = LibC.RecvMmsg(fd, _receive.Messages, (uint)max, LibC.MSG_DONTWAIT, null);
                if (n > 0)
                {
                    for (var i = 0; i < n; i++)
                    {
                        sizes[i] = (int)_receive.Messages[i].Length;
                        from[i] = _receive.Source(i);
                    }

                    return n;
                }

                var errno = n < 0 ? Marshal.GetLastPInvokeError() : LibC.EAGAIN;
                if (errno == LibC.EINTR)
                {
                    continue;
                }

                if (errno != LibC.EAGAIN)
                {
                    // ICMP errors of earlier sends (ECONNREFUSED...) surface here: not fatal for a UDP server.
                    continue;
                }

                if (!_wakeup.Wait(fd, LibC.POLLIN))
                {
                    return 0;
                }
            }
        }
    }

    public void Send(byte[][] buffers, int[] sizes, int offset, NetEndpoint[] to, int count)
    {
        lock (_sendLock)
        {
            if (_disposed != 0)
            {
                return;
            }

            var fd = _fd.Fd;
            var done = 0;
            while (done < count)
            {
                var batch = 0;
                while (batch < MmsgBatch.MaxBatch && done + batch < count)
                {
                    var i = done + batch;
                    _send.Set(batch, buffers[i], offset, sizes[i]);
                    if (!_send.SetDestination(batch, to[i], _family))
                    {
                        Interlocked.Increment(ref _sendErrors);
                        done++;
                        continue;
                    }

                    batch++;
                }

                var sent = 0;
                while (sent < batch)
                {
                    var n = LibC.SendMmsg(fd, _send.Messages + sent, (uint)(batch - sent), 0 | LibC.MSG_DONTWAIT);
                    if (n > 0)
                    {
                        sent += n;
                        continue;
                    }

                    var errno = n < 0 ? Marshal.GetLastPInvokeError() : LibC.EAGAIN;
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

                    // The first datagram of the rest failed (unreachable, refused...): drop it and go on.
                    Interlocked.Increment(ref _sendErrors);
                    sent++;
                }

                done += batch;
            }
        }
    }

    /// <summary>Wakes a blocked receiver (it returns 0), then closes the socket.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _wakeup.Signal();
        lock (_receiveLock)
        {
            lock (_sendLock)
            {
                _fd.Dispose();
                _receive.Dispose();
                _send.Dispose();
                _wakeup.Dispose();
            }
        }
    }

    private static void SetOption(int fd, int level, int name, int value, string where)
    {
        if (LibC.SetSockOpt(fd, level, name, &value, sizeof(int)) < 0)
        {
            throw new IOException(LibC.Error($"open {where}: setsockopt({level}, {name})", Marshal.GetLastPInvokeError()));
        }
    }

    private static void SetBuffer(int fd, int force, int plain, int size, string where)
    {
        // SO_*BUFFORCE needs CAP_NET_ADMIN and ignores rmem_max; without it, ask within the limit.
        if (LibC.SetSockOpt(fd, LibC.SOL_SOCKET, force, &size, sizeof(int)) == 0)
        {
            return;
        }

        SetOption(fd, LibC.SOL_SOCKET, plain, size, where);
    }
}
