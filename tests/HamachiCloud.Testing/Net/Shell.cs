using System.Diagnostics;

namespace HamachiCloud.Testing.Net;

/// <summary>Runs a program and returns its stdout; a non-zero exit throws with the command line and stderr.</summary>
public static class Shell
{
    public static string Run(params string[] command) => Run(TimeSpan.FromSeconds(60), command);

    public static string Run(TimeSpan timeout, params string[] command)
    {
        var result = TryRun(timeout, command);
        if (result.ExitCode != 0)
        {
            throw new IOException($"{string.Join(' ', command)}: exit code {result.ExitCode}: {result.Stderr.Trim()} {result.Stdout.Trim()}");
        }

        return result.Stdout;
    }

    /// <summary>Runs and returns exit code, stdout and stderr; a timeout kills the process tree.</summary>
    public static (int ExitCode, string Stdout, string Stderr) TryRun(TimeSpan timeout, params string[] command)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new IOException($"{command[0]}: could not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', command)}: no exit after {timeout.TotalSeconds} s");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
