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

    public static LabProcess Start(NetworkNamespace ns, params string[] command)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["netns", "exec", ns.Name, .. command])
        {
            start.ArgumentList.Add(arg);
        }

        var lab = new LabProcess(Process.Start(start) ?? throw new IOException($"{command[0]}: could not start in {ns.Name}"));
        lab._process.OutputDataReceived += (_, e) => lab.Append(e.Data);
        lab._process.ErrorDataReceived += (_, e) => lab.Append(e.Data);
        lab._process.BeginOutputReadLine();
        lab._process.BeginErrorReadLine();
        Thread.Sleep(300); // let it bind its sockets
        if (lab._process.HasExited)
        {
            throw new IOException($"{string.Join(' ', command)} in {ns.Name} exited with {lab._process.ExitCode}: {lab.Output}");
        }

        return lab;
    }

    public void Dispose()
    {
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
