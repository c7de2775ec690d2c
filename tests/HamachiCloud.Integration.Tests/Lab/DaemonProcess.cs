using System.Diagnostics;
using System.Text;
using HamachiCloud.Testing.Net;

namespace HamachiCloud.Integration.Tests.Lab;

/// <summary>
/// <c>hamachi daemon --state-dir DIR</c> in a lab namespace, started once it printed a marker
/// (by default: its control channel logged in). Dispose sends SIGTERM and waits for a clean exit (killed otherwise).
/// </summary>
internal sealed class DaemonProcess : IDisposable
{
    public const string LoggedIn = "control channel logged in";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private readonly string _marker;

    private DaemonProcess(Process process, string marker)
    {
        _process = process;
        _marker = marker;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public int? ExitCodeAfterStop { get; private set; }

    /// <summary>Starts the daemon and waits for a line containing <paramref name="marker"/> (default: logged in).</summary>
    public static DaemonProcess Start(NetworkNamespace ns, string stateDir, string marker = LoggedIn, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        foreach (var arg in (string[])["netns", "exec", ns.Name, HamachiCli.Dotnet, HamachiCli.Dll, "daemon", "--state-dir", stateDir])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        var daemon = new DaemonProcess(process, marker);
        using var up = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data, up);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data, null);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (!up.Wait(100))
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                daemon.Dispose();
                throw new InvalidOperationException($"hamachi daemon in {ns.Name} did not print '{marker}': {daemon.Output}");
            }
        }

        return daemon;
    }

    /// <summary>Waits until <paramref name="marker"/> has been printed <paramref name="times"/> times; false on timeout.</summary>
    public bool WaitFor(string marker, int times, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var output = Output;
            var count = 0;
            for (var at = output.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = output.IndexOf(marker, at + marker.Length, StringComparison.Ordinal))
            {
                count++;
            }

            if (count >= times)
            {
                return true;
            }

            Thread.Sleep(100);
        }

        return false;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
            kill.WaitForExit();
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.WaitForExit();
        ExitCodeAfterStop = _process.ExitCode;
        _process.Dispose();
    }

    private void Append(string? line, ManualResetEventSlim? signal)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (signal is not null && line.Contains(_marker, StringComparison.Ordinal))
        {
            try
            {
                signal.Set();
            }
            catch (ObjectDisposedException)
            {
                // started already
            }
        }
    }
}
