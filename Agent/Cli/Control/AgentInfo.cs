using System.Reflection;
using System.Runtime.InteropServices;

namespace HamachiCloud.Agent.Control;

/// <summary>
/// What the agent tells the server about itself (hello, and the device flow's device_os): its
/// version (the assembly's informational version) and a short OS description people recognise,
/// e.g. "Linux 6.1 (Debian GNU/Linux 12)" or "Windows 11". Read once.
/// </summary>
public static class AgentInfo
{
    private static readonly Lazy<string> LazyOs = new(DescribeOs);

    public static string Version { get; } =
        typeof(AgentInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(AgentInfo).Assembly.GetName().Version?.ToString() ?? "unknown";

    public static string Os => LazyOs.Value;

    /// <summary>Pure: "Linux 6.1 (Debian GNU/Linux 12)" from the kernel version and /etc/os-release's PRETTY_NAME.</summary>
    public static string DescribeLinux(Version kernel, string? osRelease)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var pretty = osRelease?.Split('\n')
            .Select(l => l.Trim())
            .FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"', '\'');
        var name = $"Linux {kernel.Major}.{Math.Max(0, kernel.Minor)}";
        return string.IsNullOrWhiteSpace(pretty) ? name : $"{name} ({pretty})";
    }

    /// <summary>Pure: Windows 11 from build 22000 on, Windows 10 before.</summary>
    public static string DescribeWindows(Version version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return version.Major == 10 && version.Build >= 22000 ? "Windows 11" : version.Major == 10 ? "Windows 10" : $"Windows {version}";
    }

    private static string DescribeOs()
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                var release = File.Exists("/etc/os-release") ? File.ReadAllText("/etc/os-release") : null;
                return DescribeLinux(Environment.OSVersion.Version, release);
            }

            if (OperatingSystem.IsWindows())
            {
                return DescribeWindows(Environment.OSVersion.Version);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // fall through to the runtime's description
        }

        return RuntimeInformation.OSDescription;
    }
}
