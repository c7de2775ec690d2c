using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Agent.State;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Contracts.SetupKeys;
using HamachiCloud.Api.Tests;
using HamachiCloud.Integration.Tests.Lab;
using HamachiCloud.Migrations;
using HamachiCloud.Testing;
using HamachiCloud.Testing.Net;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.EndToEnd;

/// <summary>
/// The whole product in network namespaces: the real Api (SQLite) reachable at a lab "public"
/// address (198.18.0.11:8080 in its own namespace), three <c>hamachi</c> agents that enrol with
/// setup keys (one account each), run as daemons, join one mesh network over the control channel
/// and ping each other over the overlay; then the server becomes unreachable, tunnels keep working,
/// an agent restarted during the outage gets its tunnels back from its signed cache, and all agents
/// log in again once the server returns.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class ControlPlaneMeshTests(ITestOutputHelper output)
{
    private const int ApiLabPort = 8080;

    [SkippableFact]
    public async Task Three_agents_enrol_with_setup_keys_join_a_mesh_every_pair_pings_and_tunnels_outlive_the_server()
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
        var network = await owner.CreateNetworkAsync(new CreateNetworkRequest("lan party"));
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

            // The server becomes unreachable: tunnels stay up.
            proxy.Dispose();
            var outage = Stopwatch.StartNew();
            Assert.True(FirstAnswer(agents[1].Ns, agents[0].IPv4, TimeSpan.FromSeconds(5), outage) < TimeSpan.FromSeconds(5), "no ping over an existing tunnel once the server was gone");

            // An agent restarted during the outage gets its tunnels back from its signed cache.
            daemons[0].Dispose();
            output.WriteLine(daemons[0].Output);
            daemons[0] = DaemonProcess.Start(agents[0].Ns, agents[0].State, "restored 2 tunnel(s)");
            var restored = Stopwatch.StartNew();
            Assert.True(FirstAnswer(agents[0].Ns, agents[1].IPv4, TimeSpan.FromSeconds(10), restored) < TimeSpan.FromSeconds(10), $"no tunnel from the cache: {daemons[0].Output}");
            Assert.True(FirstAnswer(agents[0].Ns, agents[2].IPv4, TimeSpan.FromSeconds(10), restored) < TimeSpan.FromSeconds(10), $"no tunnel from the cache: {daemons[0].Output}");
            output.WriteLine($"restarted agent pinged both peers {restored.Elapsed.TotalSeconds:0.00} s after it started, the server still unreachable");

            // The server returns: every agent logs in again (back-off capped at 16 s).
            proxy = NamespaceProxy.Start(serverNs, new IPEndPoint(serverAddress, ApiLabPort), new IPEndPoint(IPAddress.Loopback, apiPort));
            var returned = Stopwatch.StartNew();
            Assert.True(daemons[0].WaitFor(DaemonProcess.LoggedIn, 1, TimeSpan.FromSeconds(30)), $"restarted agent did not reconnect: {daemons[0].Output}");
            Assert.True(daemons[1].WaitFor(DaemonProcess.LoggedIn, 2, TimeSpan.FromSeconds(30)), $"agent2 did not reconnect: {daemons[1].Output}");
            Assert.True(daemons[2].WaitFor(DaemonProcess.LoggedIn, 2, TimeSpan.FromSeconds(30)), $"agent3 did not reconnect: {daemons[2].Output}");
            output.WriteLine($"all agents logged in again {returned.Elapsed.TotalSeconds:0.0} s after the server returned (target < 30 s)");
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

    /// <summary>
    /// A registered account signed in with the code + PKCE flow (as <see cref="TestUser.CreateAsync"/>, but with
    /// the browser pointed at the Kestrel address: OAuthFlows.Browser assumes the in-memory server).
    /// </summary>
    internal static async Task<HamachiClient> SignUpAsync(ApiFactory api, string name)
    {
        var email = $"{name}-{Guid.NewGuid():N}@example.test";
        const string password = "correct horse battery staple";
        await new HamachiClient(api.CreateClient()).RegisterAsync(new RegisterRequest(email, password, name));
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = api.ClientOptions.BaseAddress,
        };
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var authorize = "/connect/authorize?client_id=hamachi-portal&response_type=code"
            + "&redirect_uri=" + Uri.EscapeDataString(OAuthFlows.PortalRedirect)
            + "&scope=" + Uri.EscapeDataString("openid profile offline_access api")
            + "&code_challenge=" + challenge + "&code_challenge_method=S256&state=s1";
        (await browser.GetAsync(authorize)).Dispose();
        (await OAuthFlows.LoginAsync(browser, email, password, authorize)).Dispose();
        using var second = await browser.GetAsync(authorize);
        var code = Regex.Match(second.Headers.Location!.ToString(), "[?&]code=([^&]+)").Groups[1].Value;
        var tokens = await OAuthFlows.TokenAsync(browser, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "hamachi-portal",
            ["code"] = Uri.UnescapeDataString(code),
            ["redirect_uri"] = OAuthFlows.PortalRedirect,
            ["code_verifier"] = verifier,
        });
        var client = new HamachiClient(api.CreateClient());
        client.UseAccessToken(tokens.AccessToken);
        return client;
    }

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
