using System.Diagnostics;

namespace HamachiCloud.Agent.Platform.Linux;

/// <summary>
/// Runs iproute2's <c>ip</c> as a process (configuration only, never on a hot path). A failure throws
/// <see cref="IOException"/> with the full command line, exit code and ip's own message.
/// </summary>
internal static class IpCommand
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs <c>ip [-n NETNS] ARGS...</c>.</summary>
    public static void Run(string? netns, params string[] args)
    {
        var start = new ProcessStartInfo(FindIp())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (netns is not null)
        {
            start.ArgumentList.Add("-n");
            start.ArgumentList.Add(netns);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var line = "ip " + string.Join(' ', start.ArgumentList);
        using var process = Process.Start(start) ?? throw new IOException($"{line}: could not start");
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill();
            throw new IOException($"{line}: no exit after {Timeout.TotalSeconds} s");
        }

        if (process.ExitCode != 0)
        {
            throw new IOException($"{line}: exit code {process.ExitCode}: {stderr.Result.Trim()}");
        }
    }

    private static string FindIp()
    {
        foreach (var candidate in (string[])["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"])
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new IOException("configure interface: iproute2 'ip' not found in /usr/sbin, /sbin, /usr/bin or /bin (apt-get install iproute2)");
    }
}
