using System.Diagnostics;
using System.Net;
using System.Text.Json;
using HamachiCloud.Agent.State;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Contracts.SetupKeys;
using HamachiCloud.Api.Tests;
using HamachiCloud.Data;
using HamachiCloud.Integration.Tests.EndToEnd;
using HamachiCloud.Integration.Tests.Lab;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Networks;
using HamachiCloud.Testing.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Integration.Tests.Nat;

/// <summary>
/// The whole product in a <see cref="NatLab"/>: the real Api (in process, exposed at
/// 203.0.113.10:8080 in the lab's server namespace), the real relay process in that namespace
/// (UDP 203.0.113.10:3478, STUN also on 198.51.100.10 and port 3479, WebSocket on :8443), and two
/// enrolled <c>hamachi</c> daemons of one account on two lab hosts. Dispose tears everything down.
/// </summary>
internal sealed class TraversalLab : IAsyncDisposable
{
    private const int ApiPort = 8080;
    private const int RelayHttpPort = 8443;

    private readonly List<IDisposable> _cleanup = [];
    private readonly List<string> _stateDirs = [];

    private TraversalLab(NatLab lab, ApiFactory api)
    {
        Lab = lab;
        Api = api;
    }

    public NatLab Lab { get; }

    public ApiFactory Api { get; }

    public LabProcess? Relay { get; private set; }

    /// <summary>The second relay, when asked for (on the server's secondary address).</summary>
    public LabProcess? SecondRelay { get; private set; }

    public static readonly Guid FirstRelayId = Guid.Parse("00000000-0000-4000-8000-000000000001");
    public static readonly Guid SecondRelayId = Guid.Parse("00000000-0000-4000-8000-000000000002");

    public List<Agent> Agents { get; } = [];

    /// <summary>When the second daemon had logged in.</summary>
    public Stopwatch SinceBothOnline { get; } = new();

    /// <param name="tls">When given, the relay serves its WebSocket as wss:// with this certificate, and the agents trust <see cref="RelayTls.AgentTrust"/> (SSL_CERT_FILE).</param>
    /// <param name="secondRelay">Also start <see cref="SecondRelay"/> (UDP 198.51.100.10:3490, STUN also :3491, WebSocket :8444); relay ids make the first one the Api's first choice.</param>
    /// <param name="beforeAgents">Runs after the owner's network ("traversal") exists and before the agents log in (e.g. to change its plan).</param>
    public static async Task<TraversalLab> StartAsync(
        NatLab lab, NatHost first, NatHost second, RelayTls? tls = null, bool secondRelay = false, Func<ApiFactory, Task>? beforeAgents = null)
    {
        var api = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        var self = new TraversalLab(lab, api);
        try
        {
            await self.StartAsync(first, second, tls, secondRelay, beforeAgents);
            return self;
        }
        catch
        {
            await self.DisposeAsync();
            throw;
        }
    }

    public string Logs() =>
        string.Join("\n----\n", Agents.Select(a => $"[{a.Name} {a.Host.Address}]\n{a.Daemon.Output}")) + $"\n----\n[relay]\n{Relay?.Output}" + (SecondRelay is null ? "" : $"\n----\n[relay 2]\n{SecondRelay.Output}");

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in Agents)
        {
            agent.Daemon.Dispose();
        }

        for (var i = _cleanup.Count - 1; i >= 0; i--)
        {
            _cleanup[i].Dispose();
        }

        await Api.DisposeAsync();
        foreach (var dir in _stateDirs)
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private async Task StartAsync(NatHost first, NatHost second, RelayTls? tls, bool secondRelay, Func<ApiFactory, Task>? beforeAgents)
    {
        var apiPort = ControlPlaneMeshTests.FreeLoopbackPort();
        Api.UseKestrel(apiPort);
        Api.StartServer();
        var server = Lab.Server;
        _cleanup.Add(NamespaceProxy.Start(server.Namespace, new IPEndPoint(server.Primary, ApiPort), new IPEndPoint(IPAddress.Loopback, apiPort)));
        var apiUrl = $"http://{server.Primary}:{ApiPort}";

        var relayDll = Path.Combine(AppContext.BaseDirectory, "HamachiCloud.Relay.dll");
        string[] web = tls is null
            ? ["--urls", $"http://{server.Primary}:{RelayHttpPort}", "--Relay:WebSocketUrl", $"ws://{server.Primary}:{RelayHttpPort}/relay"]
            : ["--urls", $"https://{server.Primary}:{RelayHttpPort}", "--Relay:WebSocketUrl", $"wss://{server.Primary}:{RelayHttpPort}/relay",
                "--Kestrel:Certificates:Default:Path", tls.CertificatePem, "--Kestrel:Certificates:Default:KeyPath", tls.KeyPem];
        Relay = LabProcess.Start(server.Namespace, [HamachiCli.Dotnet, relayDll, .. web, "--contentRoot", AppContext.BaseDirectory,
            "--Relay:Id", FirstRelayId.ToString(), "--Relay:ListenAddress", server.Primary.ToString(), "--Relay:Port", "3478",
            "--Relay:AlternateAddress", server.Secondary.ToString(), "--Relay:AlternatePort", "3479", "--Relay:ApiUrl", apiUrl,
            "--Relay:RegistrationSecret", ApiFactory.RelaySecret, "--Relay:HeartbeatSeconds", "2"]);
        _cleanup.Add(Relay);
        if (secondRelay)
        {
            SecondRelay = LabProcess.Start(server.Namespace, [HamachiCli.Dotnet, relayDll, "--urls", $"http://{server.Secondary}:{RelayHttpPort + 1}",
                "--Relay:WebSocketUrl", $"ws://{server.Secondary}:{RelayHttpPort + 1}/relay", "--contentRoot", AppContext.BaseDirectory,
                "--Relay:Id", SecondRelayId.ToString(), "--Relay:Name", "relay-2", "--Relay:ListenAddress", server.Secondary.ToString(), "--Relay:Port", "3490",
                "--Relay:AlternatePort", "3491", "--Relay:ApiUrl", apiUrl, "--Relay:RegistrationSecret", ApiFactory.RelaySecret, "--Relay:HeartbeatSeconds", "2"]);
            _cleanup.Add(SecondRelay);
        }

        var registered = Stopwatch.StartNew();
        while (await RelaysKnownAsync() < (secondRelay ? 2 : 1))
        {
            if (registered.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"the relay did not register with the Api within 60 s:\n{Relay.Output}\n{SecondRelay?.Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }

        var owner = await ControlPlaneMeshTests.SignUpAsync(Api, "owner");
        await owner.CreateNetworkAsync(new CreateNetworkRequest("traversal", JoinPolicy: JoinPolicy.Open));
        if (beforeAgents is not null)
        {
            await beforeAgents(Api);
        }

        var hosts = new[] { first, second };
        for (var i = 0; i < hosts.Length; i++)
        {
            var key = await owner.CreateSetupKeyAsync(new CreateSetupKeyRequest($"agent{i + 1}"));
            var state = Directory.CreateTempSubdirectory($"hamachi-nat-{i + 1}-").FullName;
            _stateDirs.Add(state);
            hosts[i].Namespace.Run(HamachiCli.Dotnet, HamachiCli.Dll, "login", "--server", apiUrl, "--setup-key", key.Key, "--name", $"agent{i + 1}", "--state-dir", state);
            var enrolment = new StateDirectory(state).LoadEnrolment()!;
            var environment = tls is null ? null : new Dictionary<string, string> { ["SSL_CERT_FILE"] = tls.AgentTrust };
            Agents.Add(new Agent($"agent{i + 1}", hosts[i], state, enrolment.VirtualIPv4, DaemonProcess.Start(hosts[i].Namespace, state, environment: environment)));
        }

        SinceBothOnline.Start();
    }

    private async Task<int> RelaysKnownAsync()
    {
        using var scope = Api.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<HamachiDbContext>().Relays.CountAsync();
    }

    /// <summary>The relay's certificate and key (PEM files) and the CA bundle the agents trust (SSL_CERT_FILE, which .NET on Linux reads).</summary>
    internal sealed record RelayTls(string CertificatePem, string KeyPem, string AgentTrust);

    /// <summary>One agent: its lab host, state directory, overlay address and daemon.</summary>
    internal sealed record Agent(string Name, NatHost Host, string State, string IPv4, DaemonProcess Daemon)
    {
        /// <summary>This agent's view of <paramref name="peer"/> from <c>hamachi list --json</c>: path, endpoint, latency.</summary>
        public (string Path, string? Endpoint, double? LatencyMs) PathTo(Agent peer)
        {
            var list = HamachiCli.Run(null, TimeSpan.FromSeconds(20), "list", "--json", "--state-dir", State);
            if (list.ExitCode != 0)
            {
                return ("error: " + list.Stderr, null, null);
            }

            using var json = JsonDocument.Parse(list.Stdout);
            foreach (var network in json.RootElement.EnumerateArray())
            {
                foreach (var member in network.GetProperty("members").EnumerateArray())
                {
                    if (member.GetProperty("iPv4").GetString() == peer.IPv4)
                    {
                        var endpoint = member.GetProperty("endpoint");
                        var latency = member.TryGetProperty("latencyMilliseconds", out var l) && l.ValueKind == JsonValueKind.Number ? l.GetDouble() : (double?)null;
                        return (member.GetProperty("path").GetString()!, endpoint.ValueKind == JsonValueKind.String ? endpoint.GetString() : null, latency);
                    }
                }
            }

            return ("not listed", null, null);
        }

        /// <summary>Polls <see cref="PathTo"/> until <paramref name="done"/> holds or <paramref name="limit"/> passes; the last view.</summary>
        public (string Path, string? Endpoint, double? LatencyMs) WaitForPath(Agent peer, Func<string, bool> done, TimeSpan limit)
        {
            var clock = Stopwatch.StartNew();
            var view = PathTo(peer);
            while (!done(view.Path) && clock.Elapsed < limit)
            {
                Thread.Sleep(250);
                view = PathTo(peer);
            }

            return view;
        }
    }
}
