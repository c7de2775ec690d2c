using System.Runtime.InteropServices;

namespace HamachiCloud.Agent.Platform.Linux;

/// <summary>
/// A file descriptor with SafeHandle reference counting: a thread inside read/poll holds a reference
/// (<see cref="SafeHandle.DangerousAddRef"/>), so Dispose never closes (and lets the kernel reuse) an fd
/// that another thread is still using; the close happens when the last user releases it.
/// </summary>
internal sealed class FdHandle : SafeHandle
{
    public FdHandle(int fd)
        : base(-1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle == -1;

    public int Fd => (int)handle;

    protected override bool ReleaseHandle() => LibC.Close((int)handle) == 0;
}
