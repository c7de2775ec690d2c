using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Platform.Linux;

/// <summary>
/// The agent's UDP socket on Linux: batched with recvmmsg/sendmmsg (up to 64 datagrams per call) straight
/// into the caller's (pinned) buffers, big kernel buffers, non-blocking fd polled with an eventfd so
/// <see cref="Dispose"/> unblocks a blocked receiver. Dual-stack (IPv6 socket taking IPv4-mapped
/// addresses) unless bound to an IPv4 address or IPv6 is unavailable. Sends use UDP GSO when the kernel
/// has it (runs of equal-size datagrams to one destination in one message), falling back on EIO, and
/// receives use UDP GRO when the kernel has it (<see cref="GroReceiver"/>). Receive: one thread at a time;
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
    private bool _gso;
    private GroReceiver? _gro;
    private int _disposed;

    private LinuxUdpConn(FdHandle fd, int family, ushort port, bool gso, bool gro)
    {
        _gso = gso;
        _gro = gro ? new GroReceiver() : null;
        _fd = fd;
        _family = family;
        LocalPort = port;
    }

    public ushort LocalPort { get; }

    /// <summary>True while sends use UDP GSO (UDP_SEGMENT): runs of datagrams to one peer go down the stack once.</summary>
    public bool UsesGso => _gso;

    /// <summary>True if receives use UDP GRO (coalesced runs split back into datagrams).</summary>
    public bool UsesGro => _gro is not null;

    /// <summary>Datagrams the kernel refused (unreachable, wrong family, ...): dropped, as UDP does.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>
    /// Opens and binds the socket. <paramref name="bind"/> null: all addresses, dual-stack when the kernel
    /// has IPv6. Port 0 picks a free port (see <see cref="LocalPort"/>).
    /// </summary>
    public static LinuxUdpConn Open(ushort port, IPAddress? bind = null, int socketBuffer = DefaultSocketBuffer, bool gso = true, bool gro = true)
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

            int segment;
            var segmentLength = (uint)sizeof(int);
            var gsoWorks = gso && LibC.GetSockOpt(fd, LibC.SOL_UDP, LibC.UDP_SEGMENT, &segment, &segmentLength) == 0;
            return new LinuxUdpConn(handle, family, (ushort)IPAddress.NetworkToHostOrder((short)address.PortBigEndian), gsoWorks, gro && GroReceiver.Enable(fd));
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
            for (var i = 0; _gro is null && i < max; i++)
            {
                _receive.Set(i, buffers[i], 0, buffers[i].Length);
            }

            var fd = _fd.Fd;
            while (true)
            {
                if (_gro is not null)
                {
                    var got = _gro.Receive(fd, buffers, sizes, from, max);
                    if (got > 0)
                    {
                        return got;
                    }

                    if (got == 0 || got == -LibC.EAGAIN)
                    {
                        if (!_wakeup.Wait(fd, LibC.POLLIN))
                        {
                            return 0;
                        }
                    }

                    continue;
                }

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
            for (var done = 0; done < count; done += MmsgBatch.MaxBatch)
            {
                var batch = Math.Min(MmsgBatch.MaxBatch, count - done);
                for (var slot = 0; slot < batch; slot++)
                {
                    _send.Set(slot, buffers[done + slot], offset, sizes[done + slot]);
                    if (!_send.SetDestination(slot, to[done + slot], _family))
                    {
                        Interlocked.Increment(ref _sendErrors);
                    }
                }

                if (!SendSlots(fd, batch))
                {
                    return;
                }
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
                _gro?.Dispose();
                _wakeup.Dispose();
            }
        }
    }

    /// <summary>Sends slots 0..<paramref name="slots"/> of the send batch; false once closed.</summary>
    private bool SendSlots(int fd, int slots)
    {
        var first = 0;
        while (first < slots)
        {
            var messages = _send.Pack(first, slots, _gso);
            var sent = 0;
            first = slots;
            while (sent < messages)
            {
                var n = LibC.SendMmsg(fd, _send.Messages + sent, (uint)(messages - sent), LibC.MSG_DONTWAIT);
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
                        return false;
                    }

                    continue;
                }

                if (errno == LibC.EIO && _send.MessageSegments[sent] > 1)
                {
                    // The route's device cannot segment (as wireguard-go sees on some NICs): no GSO from now on.
                    _gso = false;
                    first = _send.MessageStart[sent];
                    break;
                }

                // The first message of the rest failed (unreachable, refused...): drop it and go on.
                Interlocked.Add(ref _sendErrors, _send.MessageSegments[sent]);
                sent++;
            }
        }

        return true;
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
