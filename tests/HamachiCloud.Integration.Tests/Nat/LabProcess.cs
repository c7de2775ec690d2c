using System.Diagnostics;
using System.Text;
using HamachiCloud.Testing.Net;

namespace HamachiCloud.Integration.Tests.Nat;

/// <summary>A program running in a lab namespace (<c>ip netns exec</c>), output collected; Dispose kills it.</summary>
internal sealed class LabProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private LabProcess(Process process) => _process = process;

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

    private int _disposed;

    public bool HasExited => _process.HasExited;

    public static LabProcess Start(NetworkNamespace ns, params string[] command) => Start(ns, new Dictionary<string, string>(), null, command);

    /// <summary>Starts with extra environment variables and waits (30 s) for a line containing <paramref name="ready"/> when given.</summary>
    public static LabProcess Start(NetworkNamespace ns, IReadOnlyDictionary<string, string> environment, string? ready, params string[] command)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["netns", "exec", ns.Name, .. command])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var lab = new LabProcess(Process.Start(start) ?? throw new IOException($"{command[0]}: could not start in {ns.Name}"));
        lab._process.OutputDataReceived += (_, e) => lab.Append(e.Data);
        lab._process.ErrorDataReceived += (_, e) => lab.Append(e.Data);
        lab._process.BeginOutputReadLine();
        lab._process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        do
        {
            Thread.Sleep(200); // let it bind its sockets
            if (lab._process.HasExited)
            {
                throw new IOException($"{string.Join(' ', command)} in {ns.Name} exited with {lab._process.ExitCode}: {lab.Output}");
            }
        }
        while (ready is not null && !lab.Output.Contains(ready, StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(30));

        if (ready is not null && !lab.Output.Contains(ready, StringComparison.Ordinal))
        {
            lab.Dispose();
            throw new TimeoutException($"{string.Join(' ', command)} in {ns.Name} did not print '{ready}' within 30 s: {lab.Output}");
        }

        return lab;
    }

    /// <summary>Kills the process tree (idempotent: a test may stop a process before the lab's cleanup does).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
