using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace HamachiCloud.Relay.Tests;

/// <summary>
/// The built relay (<c>HamachiCloud.Relay.dll</c> next to the tests) as a process, optionally inside a network
/// namespace, configured by environment variables (<c>Relay__Key</c>). Start waits for /health to answer 200 (the
/// server key is known). Dispose stops it (SIGTERM, then kill).
/// </summary>
internal sealed class RelayProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http;

    private RelayProcess(Process process, Uri http, string countersToken)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = http, Timeout = TimeSpan.FromSeconds(5) };
        _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", countersToken);
        BaseAddress = http;
    }

    /// <summary>The relay's HTTP address (WebSocket /relay, /health, /counters).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The token /counters wants (<c>Relay:CountersToken</c>; set by <see cref="StartAsync"/> unless given).</summary>
    public const string CountersToken = "relay-tests-counters-token";

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "HamachiCloud.Relay.dll");

    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

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

    /// <summary>Starts the relay; <paramref name="settings"/> are "Relay:Key" → value; HTTP on <paramref name="httpPort"/> at <paramref name="httpAddress"/>.</summary>
    public static async Task<RelayProcess> StartAsync(IReadOnlyDictionary<string, string> settings, string httpAddress, int httpPort, string? netns = null)
    {
        var start = new ProcessStartInfo(netns is null ? Dotnet : "ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (netns is not null)
        {
            foreach (var a in (string[])["netns", "exec", netns, Dotnet])
            {
                start.ArgumentList.Add(a);
            }
        }

        start.ArgumentList.Add(Dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://{httpAddress}:{httpPort}");
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(AppContext.BaseDirectory);
        start.Environment["Relay__CountersToken"] = CountersToken;
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["Logging__LogLevel__Default"] = "Information";
        var process = Process.Start(start)!;
        var relay = new RelayProcess(process, new Uri($"http://{httpAddress}:{httpPort}"), start.Environment["Relay__CountersToken"]!);
        process.OutputDataReceived += (_, e) => relay.Append(e.Data);
        process.ErrorDataReceived += (_, e) => relay.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"relay exited with {process.ExitCode} before it was healthy:\n{relay.Output}");
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                relay.Dispose();
                throw new TimeoutException($"relay not healthy within 60 s:\n{relay.Output}");
            }

            if (netns is null)
            {
                try
                {
                    using var health = await relay._http.GetAsync(new Uri("/health", UriKind.Relative));
                    if (health.StatusCode == HttpStatusCode.OK)
                    {
                        return relay;
                    }
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
            }
            else if (relay.Output.Contains("Application started", StringComparison.Ordinal))
            {
                return relay;
            }

            Thread.Sleep(200);
        }
    }

    /// <summary>Runs the relay with <paramref name="settings"/> until it exits (a bad configuration must stop it at start): exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])[Dll, "--urls", $"http://127.0.0.1:{FreeTcpPort()}", "--contentRoot", AppContext.BaseDirectory])
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"relay still running after {timeout.TotalSeconds} s (expected it to refuse its configuration)");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The relay's /counters, parsed.</summary>
    public async Task<JsonElement> CountersAsync()
    {
        var text = await _http.GetStringAsync(new Uri("/counters", UriKind.Relative));
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<long> DroppedAsync(JsonElement counters, string reason) =>
        await Task.FromResult(counters.GetProperty("dropped").GetProperty(reason).GetInt64());

    public static int FreeUdpPort(IPAddress address, int count = 1)
    {
        // Ports p and p+1 both free (STUN uses Port and AlternatePort = Port+1 in these tests).
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(address, 0));
            var port = ((IPEndPoint)probe.LocalEndPoint!).Port;
            if (port + count > 65535)
            {
                continue;
            }

            try
            {
                for (var i = 1; i < count; i++)
                {
                    using var next = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    next.Bind(new IPEndPoint(address, port + i));
                }

                return port;
            }
            catch (SocketException)
            {
                // taken: try another
            }
        }

        throw new InvalidOperationException("no free UDP port pair");
    }

    public static int FreeTcpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
                if (!_process.WaitForExit(10_000))
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
        _http.Dispose();
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
