using System.Runtime.InteropServices;

namespace HamachiCloud.Agent.Platform.Linux;

/// <summary>
/// Blocking waits on a non-blocking fd that a close can interrupt: poll(fd, eventfd). <see cref="Signal"/>
/// makes every current and future wait return false. Thread-safe.
/// </summary>
internal sealed unsafe class Wakeup : IDisposable
{
    private readonly FdHandle _event;

    public Wakeup()
    {
        var fd = LibC.EventFd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (fd < 0)
        {
            throw new IOException(LibC.Error("eventfd", Marshal.GetLastPInvokeError()));
        }

        _event = new FdHandle(fd);
    }

    private volatile bool _signaled;

    public bool IsSignaled => _signaled;

    /// <summary>Waits until <paramref name="fd"/> has <paramref name="events"/>; false once signalled.</summary>
    public bool Wait(int fd, short events)
    {
        var added = false;
        try
        {
            _event.DangerousAddRef(ref added);
            var fds = stackalloc LibC.PollFd[2];
            fds[0] = new LibC.PollFd { Fd = fd, Events = events };
            fds[1] = new LibC.PollFd { Fd = _event.Fd, Events = LibC.POLLIN };
            while (!IsSignaled)
            {
                var n = LibC.Poll(fds, 2, -1);
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == LibC.EINTR)
                    {
                        continue;
                    }

                    throw new IOException(LibC.Error("poll", errno));
                }

                if (fds[1].Revents != 0)
                {
                    return false;
                }

                if (fds[0].Revents != 0)
                {
                    return true;
                }
            }

            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added)
            {
                _event.DangerousRelease();
            }
        }
    }

    /// <summary>Wakes every waiter, now and later.</summary>
    public void Signal()
    {
        _signaled = true;
        var added = false;
        try
        {
            _event.DangerousAddRef(ref added);
            ulong one = 1;
            _ = LibC.Write(_event.Fd, &one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
            // Already closed: nobody can be waiting.
        }
        finally
        {
            if (added)
            {
                _event.DangerousRelease();
            }
        }
    }

    public void Dispose() => _event.Dispose();
}
