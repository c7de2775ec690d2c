using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using HamachiCloud.Agent.State;
using HamachiCloud.Testing.Net;

namespace HamachiCloud.Integration.Tests.Lab;

/// <summary>
/// <c>hamachi login --server URL --name NAME</c> without a setup key, in a lab namespace: the device flow. It
/// prints a verification URL (with the code filled in) and waits until someone approves it in a browser;
/// <see cref="StartAsync"/> returns once the URL is printed, <see cref="WaitAsync"/> once the CLI exits.
/// Dispose kills a CLI still waiting.
/// </summary>
internal sealed partial class DeviceLogin : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DeviceLogin(Process process, string state)
    {
        _process = process;
        State = state;
    }

    /// <summary>The agent's state directory (enrolment and tokens are written there on success).</summary>
    public string State { get; }

    /// <summary>The URL to open: <c>verification_uri_complete</c> when the server gave one, else <c>verification_uri</c>.</summary>
    public Uri VerificationUrl { get; private set; } = null!;

    /// <summary>The code the CLI shows (e.g. <c>ABCD-EFGH</c>).</summary>
    public string UserCode { get; private set; } = "";

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

    /// <summary>Starts the CLI in <paramref name="ns"/> with a fresh state directory and waits (30 s) for its URL and code.</summary>
    public static async Task<DeviceLogin> StartAsync(NetworkNamespace ns, string serverUrl, string name)
    {
        var state = Directory.CreateTempSubdirectory($"hamachi-device-{name}-").FullName;
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in (string[])["netns", "exec", ns.Name, HamachiCli.Dotnet, HamachiCli.Dll, "login", "--server", serverUrl, "--name", name, "--state-dir", state])
        {
            start.ArgumentList.Add(arg);
        }

        var login = new DeviceLogin(Process.Start(start)!, state);
        login._process.StandardInput.Close();
        login._process.OutputDataReceived += (_, e) => login.Append(e.Data);
        login._process.ErrorDataReceived += (_, e) => login.Append(e.Data);
        login._process.BeginOutputReadLine();
        login._process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!login.TryReadPrompt())
        {
            if (login._process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                var output = login.Output;
                login.Dispose();
                throw new InvalidOperationException($"hamachi login (device flow) in {ns.Name} printed no verification URL: {output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        return login;
    }

    /// <summary>Waits for the CLI to exit (it polls the token endpoint every few seconds); its exit code.</summary>
    public async Task<int> WaitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"hamachi login (device flow) still waiting after {limit.TotalSeconds} s: {Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>The enrolment the CLI stored once approved (null before or when it failed).</summary>
    public Enrolment? Enrolment() => new StateDirectory(State).LoadEnrolment();

    /// <summary>Kills the CLI if it still waits; the state directory stays (a <see cref="LabAgent"/> may run from it).</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private bool TryReadPrompt()
    {
        var output = Output;
        if (!output.Contains("Waiting for approval", StringComparison.Ordinal))
        {
            return false;
        }

        // Since the Portal's /device page: the URL with the code filled in comes first.
        if (CompleteFirstPattern().Match(output) is { Success: true } first)
        {
            UserCode = first.Groups["code"].Value;
            VerificationUrl = new Uri(first.Groups["url"].Value);
            return true;
        }

        var prompt = PromptPattern().Match(output);
        if (!prompt.Success)
        {
            return false;
        }

        UserCode = prompt.Groups["code"].Value;
        var complete = CompletePattern().Match(output);
        VerificationUrl = new Uri(complete.Success ? complete.Groups["url"].Value : prompt.Groups["url"].Value);
        return true;
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

    // "To sign in, open URL and enter the code CODE" then optionally "(or open URL_COMPLETE)" (Agent/Cli/Enrol/DeviceFlow.cs).
    [GeneratedRegex(@"open (?<url>https?://\S+) and enter the code (?<code>\S+)")]
    private static partial Regex PromptPattern();

    [GeneratedRegex(@"\(or open (?<url>https?://\S+)\)")]
    private static partial Regex CompletePattern();

    // "To sign in, open URL_COMPLETE\nand check that it shows the code CODE (or open URL and enter it)."
    [GeneratedRegex(@"open (?<url>https?://\S+)\s+and check that it shows the code (?<code>[A-Za-z0-9-]+)")]
    private static partial Regex CompleteFirstPattern();
}
