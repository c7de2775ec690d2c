using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using HamachiCloud.Testing.Net;

namespace HamachiCloud.Integration.Tests.Lab;

/// <summary>
/// <c>hamachi up --config FILE</c> running in a lab namespace. Started when it prints its "up" line;
/// Dispose sends SIGTERM (as an operator would), waits for a clean exit, and kills it otherwise.
/// </summary>
internal sealed partial class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _configPath;

    private AgentProcess(Process process, string configPath)
    {
        _process = process;
        _configPath = configPath;
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

    public bool HasExited => _process.HasExited;

    public int? ExitCodeAfterStop { get; private set; }

    public static AgentProcess Start(NetworkNamespace ns, string configText)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{ns.Name}-hamachi.conf");
        File.WriteAllText(path, configText);
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["netns", "exec", ns.Name, HamachiCli.Dotnet, HamachiCli.Dll, "up", "--config", path])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        var agent = new AgentProcess(process, path);
        var up = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) => agent.Append(e.Data, up, "up, public key");
        process.ErrorDataReceived += (_, e) => agent.Append(e.Data, null, null);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (!up.Wait(100))
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                agent.Dispose();
                throw new InvalidOperationException($"hamachi up in {ns.Name} did not come up: {agent.Output}");
            }
        }

        return agent;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 15);
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }

        _process.WaitForExit();
        ExitCodeAfterStop = _process.ExitCode;
        _process.Dispose();
        File.Delete(_configPath);
    }

    private void Append(string? line, ManualResetEventSlim? signal, string? marker)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (marker is not null && line.Contains(marker, StringComparison.Ordinal))
        {
            signal?.Set();
        }
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
