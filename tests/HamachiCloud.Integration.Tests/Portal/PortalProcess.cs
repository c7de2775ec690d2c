using System.Diagnostics;
using System.Text;
using HamachiCloud.Testing;
namespace HamachiCloud.Integration.Tests.Portal;

/// <summary>
/// The real Portal as its own process (<c>dotnet HamachiCloud.Portal.dll</c>, as built by the solution) on a
/// loopback port, configured through the environment (<c>Portal__ApiUrl</c>, <c>Portal__PublicUrl</c>,
/// <c>ASPNETCORE_URLS</c>, <c>HAMACHI_PORTAL_PORT</c>). Started once it answers HTTP; its output is kept
/// for the test's log. Dispose kills it.
/// </summary>
internal sealed class PortalProcess : IDisposable
{
    public const string DllVariable = "HAMACHI_PORTAL_DLL";
    private const string DllName = "HamachiCloud.Portal.dll";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private int _disposed;

    private PortalProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    /// <summary>The Portal's base URL (no trailing slash), e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string Url { get; }

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

    /// <summary>
    /// The built Portal: <c>$HAMACHI_PORTAL_DLL</c>, else the solution's build output
    /// (<c>Portal/**/bin/&lt;configuration&gt;/net10.0/HamachiCloud.Portal.dll</c>, same configuration as the tests),
    /// else null.
    /// </summary>
    public static string? FindDll()
    {
        if (Environment.GetEnvironmentVariable(DllVariable) is { Length: > 0 } configured)
        {
            return configured;
        }

        // The tests run from tests/<project>/bin/<configuration>/<tfm>/.
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent?.Name ?? "Release";
        var portal = Path.Combine(Repository.Root, "Portal");
        if (!Directory.Exists(portal))
        {
            return null;
        }

        return Directory.EnumerateFiles(portal, DllName, SearchOption.AllDirectories)
            .Where(path => path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}{configuration}{Path.DirectorySeparatorChar}{tfm.Name}{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
    }

    /// <summary>The Portal's dll, or a failure in CI / a skip elsewhere (the solution build makes it).</summary>
    public static string RequireDll() =>
        FindDll() is { } dll
            ? Requires.File(dll, "the Portal (dotnet build HamachiCloud.sln builds it)")
            : Requires.File(Path.Combine(Repository.Root, "Portal", "bin", "…", DllName), "the Portal (dotnet build HamachiCloud.sln builds it; or set HAMACHI_PORTAL_DLL)");

    /// <param name="environment">More settings as environment variables (<c>Section__Key</c>).</param>
    public static async Task<PortalProcess> StartAsync(string dll, int port, string apiUrl, IReadOnlyDictionary<string, string>? environment = null)
    {
        var url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo(HamachiCli.Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = url;
        start.Environment["HAMACHI_PORTAL_PORT"] = port.ToString();
        start.Environment["Portal__ApiUrl"] = apiUrl;
        start.Environment["Portal__PublicUrl"] = url;
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var portal = new PortalProcess(Process.Start(start) ?? throw new IOException($"could not start {dll}"), url);
        portal._process.OutputDataReceived += (_, e) => portal.Append(e.Data);
        portal._process.ErrorDataReceived += (_, e) => portal.Append(e.Data);
        portal._process.BeginOutputReadLine();
        portal._process.BeginErrorReadLine();
        try
        {
            await portal.WaitUntilAnsweringAsync(TimeSpan.FromSeconds(60));
            return portal;
        }
        catch
        {
            portal.Dispose();
            throw;
        }
    }

    /// <summary>Kills the process (idempotent).</summary>
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

    private async Task WaitUntilAnsweringAsync(TimeSpan limit)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new IOException($"the Portal exited with {_process.ExitCode} before answering at {Url}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(Url + "/");
                if ((int)response.StatusCode < 500)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // busy starting
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"the Portal did not answer GET {Url}/ within {limit.TotalSeconds} s:\n{Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }
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
