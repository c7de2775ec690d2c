using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using HamachiCloud.Agent.State;
using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Contracts.SetupKeys;
using HamachiCloud.Api.Tests;
using HamachiCloud.Integration.Tests.Lab;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Networks;
using HamachiCloud.Testing;
using HamachiCloud.Testing.Net;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.EndToEnd;

/// <summary>
/// The whole product in network namespaces: the real Api (SQLite) reachable at a lab "public"
/// address (198.18.0.11:8080 in its own namespace), three <c>hamachi</c> agents that enrol with
/// setup keys (one account each), run as daemons, join one mesh network over the control channel
/// and ping each other over the overlay. (Surviving a server outage: <see cref="ControlPlaneOutageTests"/>.)
/// </summary>
[Collection(LabCollection.Name)]
public sealed class ControlPlaneMeshTests(ITestOutputHelper output)
{
    private const int ApiLabPort = 8080;

    [SkippableFact]
    public async Task Three_agents_enrol_with_setup_keys_join_a_mesh_and_every_pair_pings_within_3_s()
    {
        Requires.Root();
        Requires.Command("ping");
        using var lab = LabHosts.Up(4);
        var (serverNs, serverAddress) = lab.Hosts[0];
        await using var api = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        var apiPort = FreeLoopbackPort();
        api.UseKestrel(apiPort);
        api.StartServer();
        var proxy = NamespaceProxy.Start(serverNs, new IPEndPoint(serverAddress, ApiLabPort), new IPEndPoint(IPAddress.Loopback, apiPort));
        var server = $"http://{serverAddress}:{ApiLabPort}";

        var owner = await SignUpAsync(api, "owner");
        var network = await owner.CreateNetworkAsync(new CreateNetworkRequest("lan party", JoinPolicy: JoinPolicy.Open));
        var agents = new List<(NetworkNamespace Ns, string State, string IPv4)>();
        var daemons = new List<DaemonProcess>();
        try
        {
            for (var i = 1; i <= 3; i++)
            {
                var user = i == 1 ? owner : await SignUpAsync(api, $"player{i}");
                var key = await user.CreateSetupKeyAsync(new CreateSetupKeyRequest($"agent{i}"));
                var ns = lab.Hosts[i].Namespace;
                var state = Directory.CreateTempSubdirectory($"hamachi-e2e-{i}-").FullName;
                ns.Run(HamachiCli.Dotnet, HamachiCli.Dll, "login", "--server", server, "--setup-key", key.Key, "--name", $"agent{i}", "--state-dir", state);
                var enrolment = new StateDirectory(state).LoadEnrolment()!;
                agents.Add((ns, state, enrolment.VirtualIPv4));
                daemons.Add(DaemonProcess.Start(ns, state));
            }

            // Players 2 and 3 join through their daemons (hub command); the clock starts when the last join returns.
            Join(agents[1].State, network.NetworkId);
            Join(agents[2].State, network.NetworkId);
            var clock = Stopwatch.StartNew();
            output.WriteLine($"last join returned at {TimeProvider.System.GetUtcNow():HH:mm:ss.fff}");

            var pairs = from a in agents from b in agents where a != b select (a, b);
            var times = await Task.WhenAll(pairs.Select(p => Task.Run(() => FirstAnswer(p.a.Ns, p.b.IPv4, TimeSpan.FromSeconds(30), clock))));
            var all = times.Max();
            output.WriteLine($"control-plane mesh: all 6 pairs answered ping {all.TotalSeconds:0.00} s after the last agent joined (target < 3 s)");
            foreach (var (t, (a, b)) in times.Zip(pairs))
            {
                output.WriteLine($"  {a.Ns.Name} → {b.IPv4}: {t.TotalSeconds:0.00} s");
            }

            Assert.True(times.All(t => t < TimeSpan.FromSeconds(30)), $"not every pair answered within 30 s: {string.Join(", ", times.Select(t => t.TotalSeconds.ToString("0.0")))}\n{string.Join("\n---\n", daemons.Select(d => d.Output))}");
            Assert.True(all < TimeSpan.FromSeconds(3), $"all pairs answered only after {all.TotalSeconds:0.00} s (target < 3 s)");

            var list = HamachiCli.Run(null, TimeSpan.FromSeconds(20), "list", "--json", "--state-dir", agents[0].State);
            Assert.True(list.ExitCode == 0, list.Stderr);
            Assert.Contains("agent3", list.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            proxy.Dispose();
            foreach (var daemon in daemons)
            {
                daemon.Dispose();
                output.WriteLine(daemon.Output);
            }

            foreach (var agent in agents)
            {
                Directory.Delete(agent.State, recursive: true);
            }
        }

        Assert.All(daemons, d => Assert.Equal(0, d.ExitCodeAfterStop));
    }

    /// <summary>A registered account signed in with the code + PKCE flow against the Kestrel address (see <see cref="LabApi.SignUpAsync(ApiFactory, string)"/>).</summary>
    internal static Task<HamachiClient> SignUpAsync(ApiFactory api, string name) => LabApi.SignUpAsync(api, name);

    private static void Join(string state, string networkId)
    {
        var join = HamachiCli.Run(null, TimeSpan.FromSeconds(20), "join", networkId, "--state-dir", state);
        Assert.True(join.ExitCode == 0, $"hamachi join: {join.Stdout}{join.Stderr}");
    }

    /// <summary>
    /// When <paramref name="to"/> first answered <paramref name="from"/>, on <paramref name="clock"/>
    /// (one ping process sending every 100 ms until the first reply); MaxValue if never.
    /// </summary>
    internal static TimeSpan FirstAnswer(NetworkNamespace from, string to, TimeSpan limit, Stopwatch clock)
    {
        var seconds = Math.Max(1, (int)(limit - clock.Elapsed).TotalSeconds).ToString();
        using var ping = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", from.Name, "ping", "-n", "-q", "-c", "1", "-i", "0.1", "-w", seconds, to])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        ping.WaitForExit();
        return ping.ExitCode == 0 ? clock.Elapsed : TimeSpan.MaxValue;
    }

    internal static int FreeLoopbackPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
