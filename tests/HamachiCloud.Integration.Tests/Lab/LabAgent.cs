using System.Text.Json;
using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Agent.Ipc;
using HamachiCloud.Agent.State;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.SetupKeys;
using HamachiCloud.Testing.Net;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.Lab;

/// <summary>
/// One <c>hamachi</c> agent in a lab namespace: enrolled with a setup key (<c>hamachi login</c>),
/// its daemon started and stopped at will, its CLI run against the daemon's socket. Dispose stops
/// the daemon, prints its output and removes the state directory.
/// </summary>
internal sealed class LabAgent : IDisposable
{
    private readonly ITestOutputHelper _output;
    private DaemonProcess? _daemon;

    private LabAgent(string name, NetworkNamespace ns, string state, Enrolment enrolment, ITestOutputHelper output)
    {
        Name = name;
        Namespace = ns;
        State = state;
        Enrolment = enrolment;
        _output = output;
    }

    public string Name { get; }

    public NetworkNamespace Namespace { get; }

    public string State { get; }

    public Enrolment Enrolment { get; }

    public string IPv4 => Enrolment.VirtualIPv4;

    public DaemonProcess Daemon => _daemon ?? throw new InvalidOperationException($"{Name}: daemon not running");

    /// <summary>Creates a setup key as <paramref name="user"/> and runs <c>hamachi login --setup-key</c> in <paramref name="ns"/>.</summary>
    public static async Task<LabAgent> EnrolAsync(NetworkNamespace ns, string serverUrl, HamachiClient user, string name, ITestOutputHelper output)
    {
        var key = await user.CreateSetupKeyAsync(new CreateSetupKeyRequest(name));
        var state = Directory.CreateTempSubdirectory($"hamachi-e2e-{name}-").FullName;
        ns.Run(HamachiCli.Dotnet, HamachiCli.Dll, "login", "--server", serverUrl, "--setup-key", key.Key, "--name", name, "--state-dir", state);
        return new LabAgent(name, ns, state, new StateDirectory(state).LoadEnrolment()!, output);
    }

    /// <summary>An agent already enrolled into <paramref name="state"/> (e.g. by <see cref="DeviceLogin"/>); Dispose removes that directory.</summary>
    public static LabAgent FromState(NetworkNamespace ns, string state, string name, ITestOutputHelper output) =>
        new(name, ns, state, new StateDirectory(state).LoadEnrolment() ?? throw new InvalidOperationException($"{name}: no enrolment in {state}"), output);

    /// <summary>Starts the daemon and waits for <paramref name="marker"/> (default: logged in).</summary>
    public LabAgent Start(string marker = DaemonProcess.LoggedIn)
    {
        _daemon = DaemonProcess.Start(Namespace, State, marker);
        return this;
    }

    /// <summary>Stops the daemon (SIGTERM), prints its output; its exit code must be 0.</summary>
    public void Stop()
    {
        if (_daemon is null)
        {
            return;
        }

        _daemon.Dispose();
        _output.WriteLine($"--- {Name} daemon ---\n{_daemon.Output}");
        var code = _daemon.ExitCodeAfterStop;
        _daemon = null;
        Assert.Equal(0, code);
    }

    public (int ExitCode, string Stdout, string Stderr) Cli(params string[] args) =>
        HamachiCli.Run(null, TimeSpan.FromSeconds(20), [.. args, "--state-dir", State]);

    /// <summary>Runs a daemon command (join, go-offline, …) that must succeed.</summary>
    public void Command(params string[] args)
    {
        var result = Cli(args);
        Assert.True(result.ExitCode == 0, $"{Name}: hamachi {string.Join(' ', args)}: {result.Stdout}{result.Stderr}");
    }

    public DaemonStatus Status()
    {
        var result = Cli("status", "--json");
        Assert.True(result.ExitCode == 0, $"{Name}: hamachi status: {result.Stderr}");
        return JsonSerializer.Deserialize<DaemonStatus>(result.Stdout, ControlJson.Options)!;
    }

    public List<NetworkListing> List()
    {
        var result = Cli("list", "--json");
        Assert.True(result.ExitCode == 0, $"{Name}: hamachi list: {result.Stderr}");
        return JsonSerializer.Deserialize<List<NetworkListing>>(result.Stdout, ControlJson.Options)!;
    }

    /// <summary>Polls <paramref name="condition"/> (every 100 ms) until it holds or <paramref name="timeout"/> passes.</summary>
    public static bool Eventually(Func<bool> condition, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            Thread.Sleep(100);
        }

        return true;
    }

    public void Dispose()
    {
        try
        {
            _daemon?.Dispose();
            if (_daemon is not null)
            {
                _output.WriteLine($"--- {Name} daemon ---\n{_daemon.Output}");
            }
        }
        finally
        {
            Directory.Delete(State, recursive: true);
        }
    }
}
