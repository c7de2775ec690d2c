using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Platform.Linux;
using HamachiCloud.Agent.Platform.Windows;

namespace HamachiCloud.Agent.Platform;

/// <summary>Creates this OS's TUN backend: <see cref="LinuxTun"/> on Linux, <see cref="WintunTun"/> on Windows.</summary>
public static class TunDevices
{
    public static ITunDevice Create(string name, int mtu = LinuxTun.DefaultMtu)
    {
        if (OperatingSystem.IsLinux())
        {
            return LinuxTun.Create(name, mtu);
        }

        if (OperatingSystem.IsWindows())
        {
            return WintunTun.Create(name, mtu);
        }

        throw new PlatformNotSupportedException($"create TUN '{name}': only Linux and Windows are supported");
    }
}
