using System.Diagnostics;
using System.Net;
using HamachiCloud.Agent.State;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Contracts.SetupKeys;
using HamachiCloud.Api.Tests;
using HamachiCloud.Integration.Tests.Lab;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Networks;
using HamachiCloud.Testing;
using HamachiCloud.Testing.Net;
using Xunit.Abstractions;
using static HamachiCloud.Integration.Tests.EndToEnd.ControlPlaneMeshTests;

namespace HamachiCloud.Integration.Tests.EndToEnd;

/// <summary>
/// A gateway network in namespaces: the real Api (SQLite) at a lab address, a gateway agent whose
/// namespace has a second link to a LAN namespace (198.18.77.0/24; its host runs no agent and has no
/// route back, so an answer proves the masquerade), and two member agents, the second with its own
/// LAN on the same prefix. The gateway advertises the LAN; before the owner approves it over REST the
/// member cannot reach the LAN host, after it the member pings it by its LAN address. Members do not
/// reach each other; the member whose LAN overlaps gets the report and no route.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class GatewayNetworkTests(ITestOutputHelper output)
{
    private const int ApiLabPort = 8080;
    private const string Lan = "198.18.77.0/24";
    private const string LanHost = "198.18.77.2";
    private const string Internet = "203.0.113.0/24";
    private const string InternetHost = "203.0.113.2";

    [SkippableFact]
    public async Task A_member_reaches_a_lan_host_behind_the_gateway_only_after_the_admin_approves_the_prefix()
    {
        Requires.Root();
        Requires.Command("ping");
        Requires.Command("nft");
        using var lab = LabHosts.Up(4);
        using var lan = NetworkNamespace.Create("lan");
        var (serverNs, serverAddress) = lab.Hosts[0];
        var (gwNs, m1Ns, m2Ns) = (lab.Hosts[1].Namespace, lab.Hosts[2].Namespace, lab.Hosts[3].Namespace);

        // The gateway's LAN: both veth ends created inside our namespaces; the LAN host has no route beyond its subnet.
        Shell.Run("ip", "link", "add", "lan0", "netns", gwNs.Name, "type", "veth", "peer", "name", "eth0", "netns", lan.Name);
        gwNs.Run("ip", "addr", "add", "198.18.77.1/24", "dev", "lan0");
        gwNs.Run("ip", "link", "set", "lan0", "up");
        lan.Run("ip", "addr", "add", $"{LanHost}/24", "dev", "eth0");
        lan.Run("ip", "link", "set", "eth0", "up");
        // The second member's own LAN uses the same prefix.
        m2Ns.Run("ip", "link", "add", "home0", "type", "veth", "peer", "name", "home1");
        m2Ns.Run("ip", "addr", "add", "198.18.77.50/24", "dev", "home0");
        m2Ns.Run("ip", "link", "set", "home1", "up");
        m2Ns.Run("ip", "link", "set", "home0", "up");

        await using var api = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        var apiPort = FreeLoopbackPort();
        api.UseKestrel(apiPort);
        api.StartServer();
        using var proxy = NamespaceProxy.Start(serverNs, new IPEndPoint(serverAddress, ApiLabPort), new IPEndPoint(IPAddress.Loopback, apiPort));
        var server = $"http://{serverAddress}:{ApiLabPort}";

        var owner = await SignUpAsync(api, "owner");
        var network = await LabPlans.CreateGatewayNetworkAsync(api, owner, "office"); // gateway networks need Premium
        var agents = new List<(NetworkNamespace Ns, string State, string IPv4)>();
        var daemons = new List<DaemonProcess>();
        try
        {
            foreach (var (ns, i) in new[] { (gwNs, 1), (m1Ns, 2), (m2Ns, 3) })
            {
                var user = i == 1 ? owner : await SignUpAsync(api, $"member{i}");
                var key = await user.CreateSetupKeyAsync(new CreateSetupKeyRequest($"agent{i}"));
                var state = Directory.CreateTempSubdirectory($"hamachi-gw-{i}-").FullName;
                var name = i == 1 ? "gw-1" : $"member{i}";
                ns.Run(HamachiCli.Dotnet, HamachiCli.Dll, "login", "--server", server, "--setup-key", key.Key, "--name", name, "--state-dir", state);
                agents.Add((ns, state, new StateDirectory(state).LoadEnrolment()!.VirtualIPv4));
                daemons.Add(DaemonProcess.Start(ns, state));
            }

            var (gw, m1, m2) = (agents[0], agents[1], agents[2]);
            Cli(m1.State, "join", network.NetworkId);
            Cli(m2.State, "join", network.NetworkId);
            var advertised = Cli(gw.State, "advertise-routes", network.NetworkId, Lan);
            output.WriteLine(advertised.Trim());

            // Tunnels to the gateway are up; the LAN is not reachable while the prefix waits for approval.
            var tunnel = Stopwatch.StartNew();
            Assert.True(FirstAnswer(m1.Ns, gw.IPv4, TimeSpan.FromSeconds(30), tunnel) < TimeSpan.FromSeconds(30), $"member1 never reached the gateway\n{Logs(daemons)}");
            Assert.True(FirstAnswer(m2.Ns, gw.IPv4, TimeSpan.FromSeconds(30), tunnel) < TimeSpan.FromSeconds(30), $"member2 never reached the gateway\n{Logs(daemons)}");
            var route = Assert.Single(await owner.ListRoutesAsync(network.Id));
            Assert.Equal((Lan, RouteStatus.Pending, "gw-1"), (route.Prefix, route.Status, route.DeviceName));
            Assert.DoesNotContain("hamachi", m1.Ns.Run("ip", "route", "show", Lan), StringComparison.Ordinal);
            // Even a route made by hand carries nothing: the member's tunnel does not accept the prefix and the gateway does not forward it.
            m1.Ns.Run("ip", "route", "add", Lan, "dev", "hamachi0");
            var before = Stopwatch.StartNew();
            Assert.Equal(TimeSpan.MaxValue, FirstAnswer(m1.Ns, LanHost, TimeSpan.FromSeconds(3), before));
            m1.Ns.Run("ip", "route", "del", Lan, "dev", "hamachi0");
            output.WriteLine($"before approval: member1 → {LanHost} unanswered for 3 s (even through a hand-made route), as it must be");

            // The admin approves over REST: the member reaches the LAN host by its LAN address.
            var approval = Stopwatch.StartNew();
            await owner.ApproveRouteAsync(network.Id, route.Id);
            var answered = FirstAnswerOnceRouted(m1.Ns, LanHost, TimeSpan.FromSeconds(30), approval);
            Assert.True(answered < TimeSpan.FromSeconds(30),
                $"member1 never reached {LanHost} after approval\n{Cli(gw.State, "status")}\n{Cli(m1.State, "list")}\n{m1.Ns.Run("ip", "route")}\n{gw.Ns.Run("nft", "list", "ruleset")}\n{gw.Ns.Run("ip", "-s", "link")}\n{lan.Run("ip", "-s", "link")}\n{gw.Ns.Run("sysctl", "-a", "--pattern", "forward|rp_filter")}\n{Logs(daemons)}");
            output.WriteLine($"gateway: member1 pinged the LAN host {LanHost} {answered.TotalSeconds:0.00} s after the admin approved {Lan}");
            Assert.Contains("hamachi0", m1.Ns.Run("ip", "route", "show", Lan), StringComparison.Ordinal);
            Assert.Contains("masquerade", gw.Ns.Run("nft", "list", "table", "inet", "hamachi_gw"), StringComparison.Ordinal);

            // Members of a gateway network do not see each other.
            var members = Stopwatch.StartNew();
            Assert.Equal(TimeSpan.MaxValue, FirstAnswer(m2.Ns, m1.IPv4, TimeSpan.FromSeconds(3), members));
            Assert.Equal(TimeSpan.MaxValue, FirstAnswer(m1.Ns, m2.IPv4, TimeSpan.FromSeconds(3), members));
            output.WriteLine("member1 and member2 do not reach each other");

            // The member whose own LAN is 198.18.77.0/24 gets the report and no route through the overlay.
            var report = $"{Lan} via gw-1 overlaps your LAN home0 {Lan}: route not installed";
            var status = Cli(m2.State, "status", "--json");
            Assert.Contains(report, status, StringComparison.Ordinal);
            Assert.Contains(report, Cli(m2.State, "list"), StringComparison.Ordinal);
            Assert.Contains(report, daemons[2].Output, StringComparison.Ordinal);
            Assert.DoesNotContain("hamachi0", m2.Ns.Run("ip", "route", "show", Lan), StringComparison.Ordinal);
            output.WriteLine($"member2 reports: {report}");

            // Rejecting the prefix takes the route away again.
            await owner.RejectRouteAsync(network.Id, route.Id);
            var withdrawn = Stopwatch.StartNew();
            while (m1.Ns.Run("ip", "route", "show", Lan).Contains("hamachi0", StringComparison.Ordinal) && withdrawn.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(50);
            }

            Assert.DoesNotContain("hamachi0", m1.Ns.Run("ip", "route", "show", Lan), StringComparison.Ordinal);
            output.WriteLine($"route withdrawn from member1 {withdrawn.Elapsed.TotalSeconds:0.00} s after the rejection");
            Assert.Equal(TimeSpan.MaxValue, FirstAnswer(m1.Ns, LanHost, TimeSpan.FromSeconds(2), Stopwatch.StartNew()));

            // The gateway removes its nftables table when it stops.
            var gateway = daemons[0];
            daemons.RemoveAt(0);
            gateway.Dispose();
            output.WriteLine(gateway.Output);
            Assert.Equal(0, gateway.ExitCodeAfterStop);
            Assert.NotEqual(0, Shell.TryRun(TimeSpan.FromSeconds(10), "ip", "netns", "exec", gw.Ns.Name, "nft", "list", "table", "inet", "hamachi_gw").ExitCode);
        }
        finally
        {
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
    /// Issue 12 item 1: a gateway whose owner allows public routes advertises a public prefix (203.0.113.0/24, a
    /// namespace behind the gateway standing for the Internet) and the owner approves it. The member that has not
    /// accepted public routes gets no route, and even a hand-made route into the overlay carries nothing (its tunnel
    /// does not take the prefix); `hamachi list` says what is offered. After `hamachi set --accept-routes` the member
    /// reaches the host; `--accept-routes=false` takes the route away again.
    /// </summary>
    [SkippableFact]
    public async Task Traffic_to_a_public_prefix_of_a_gateway_does_not_leave_a_member_until_it_accepts_public_routes()
    {
        Requires.Root();
        Requires.Command("ping");
        Requires.Command("nft");
        using var lab = LabHosts.Up(3);
        using var inet = NetworkNamespace.Create("inet");
        var (serverNs, serverAddress) = lab.Hosts[0];
        var (gwNs, m1Ns) = (lab.Hosts[1].Namespace, lab.Hosts[2].Namespace);
        Shell.Run("ip", "link", "add", "wan1", "netns", gwNs.Name, "type", "veth", "peer", "name", "eth0", "netns", inet.Name);
        gwNs.Run("ip", "addr", "add", "203.0.113.1/24", "dev", "wan1");
        gwNs.Run("ip", "link", "set", "wan1", "up");
        inet.Run("ip", "addr", "add", $"{InternetHost}/24", "dev", "eth0");
        inet.Run("ip", "link", "set", "eth0", "up");

        await using var api = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        var apiPort = FreeLoopbackPort();
        api.UseKestrel(apiPort);
        api.StartServer();
        using var proxy = NamespaceProxy.Start(serverNs, new IPEndPoint(serverAddress, ApiLabPort), new IPEndPoint(IPAddress.Loopback, apiPort));
        var server = $"http://{serverAddress}:{ApiLabPort}";

        var owner = await SignUpAsync(api, "owner");
        var network = await LabPlans.CreateGatewayNetworkAsync(api, owner, "office"); // gateway networks need Premium
        Assert.True((await owner.UpdateNetworkAsync(network.Id, new UpdateNetworkRequest(AllowPublicRoutes: true))).AllowPublicRoutes);
        var agents = new List<(NetworkNamespace Ns, string State, string IPv4)>();
        var daemons = new List<DaemonProcess>();
        try
        {
            foreach (var (ns, i) in new[] { (gwNs, 1), (m1Ns, 2) })
            {
                var user = i == 1 ? owner : await SignUpAsync(api, $"member{i}");
                var key = await user.CreateSetupKeyAsync(new CreateSetupKeyRequest($"agent{i}"));
                var state = Directory.CreateTempSubdirectory($"hamachi-pub-{i}-").FullName;
                ns.Run(HamachiCli.Dotnet, HamachiCli.Dll, "login", "--server", server, "--setup-key", key.Key, "--name", i == 1 ? "gw-1" : "member", "--state-dir", state);
                agents.Add((ns, state, new StateDirectory(state).LoadEnrolment()!.VirtualIPv4));
                daemons.Add(DaemonProcess.Start(ns, state));
            }

            var (gw, m1) = (agents[0], agents[1]);
            Cli(m1.State, "join", network.NetworkId);
            output.WriteLine(Cli(gw.State, "advertise-routes", network.NetworkId, Internet).Trim());
            var route = Assert.Single(await owner.ListRoutesAsync(network.Id));
            Assert.True(route.Public);
            await owner.ApproveRouteAsync(network.Id, route.Id);

            // The member is told what is offered, and it is not accepted.
            var tunnel = Stopwatch.StartNew();
            Assert.True(FirstAnswer(m1.Ns, gw.IPv4, TimeSpan.FromSeconds(30), tunnel) < TimeSpan.FromSeconds(30), $"the member never reached the gateway\n{Logs(daemons)}");
            const string offered = "public routes offered by the gateway: 203.0.113.0/24 — not accepted on this device";
            var list = Cli(m1.State, "list");
            while (!list.Contains(offered, StringComparison.Ordinal) && tunnel.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(100);
                list = Cli(m1.State, "list");
            }

            Assert.Contains(offered, list, StringComparison.Ordinal);
            output.WriteLine(list.Trim());
            Assert.Contains("not accepted", Cli(m1.State, "status"), StringComparison.Ordinal);

            // No route; even a route made by hand into the overlay carries nothing: the tunnel does not take the prefix.
            Assert.DoesNotContain("hamachi", m1.Ns.Run("ip", "route", "show", Internet), StringComparison.Ordinal);
            Assert.Equal(TimeSpan.MaxValue, FirstAnswer(m1.Ns, InternetHost, TimeSpan.FromSeconds(3), Stopwatch.StartNew()));
            m1.Ns.Run("ip", "route", "add", Internet, "dev", "hamachi0");
            Assert.Equal(TimeSpan.MaxValue, FirstAnswer(m1.Ns, InternetHost, TimeSpan.FromSeconds(3), Stopwatch.StartNew()));
            m1.Ns.Run("ip", "route", "del", Internet, "dev", "hamachi0");
            output.WriteLine($"not accepted: member → {InternetHost} unanswered for 3 s (even through a hand-made route)");

            // The member accepts: the route appears and the host answers through the gateway.
            var accepted = Stopwatch.StartNew();
            output.WriteLine(Cli(m1.State, "set", "--accept-routes").Trim());
            var answered = FirstAnswerOnceRouted(m1.Ns, InternetHost, TimeSpan.FromSeconds(30), accepted);
            Assert.True(answered < TimeSpan.FromSeconds(30),
                $"the member never reached {InternetHost} after accepting\n{Cli(m1.State, "list")}\n{m1.Ns.Run("ip", "route")}\n{gw.Ns.Run("nft", "list", "ruleset")}\n{Logs(daemons)}");
            output.WriteLine($"accepted: member pinged {InternetHost} {answered.TotalSeconds:0.00} s after `hamachi set --accept-routes`");
            Assert.Contains("hamachi0", m1.Ns.Run("ip", "route", "show", Internet), StringComparison.Ordinal);
            Assert.Contains("accepted on this device (`hamachi set --accept-routes=false`", Cli(m1.State, "list"), StringComparison.Ordinal);

            // And refuses again: the route goes at once.
            Cli(m1.State, "set", "--accept-routes=false");
            Assert.DoesNotContain("hamachi0", m1.Ns.Run("ip", "route", "show", Internet), StringComparison.Ordinal);
            Assert.Equal(TimeSpan.MaxValue, FirstAnswer(m1.Ns, InternetHost, TimeSpan.FromSeconds(2), Stopwatch.StartNew()));
        }
        finally
        {
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
    /// As <see cref="ControlPlaneMeshTests.FirstAnswer"/>, but starting ping again while there is no route
    /// yet (ping exits at once with "Network is unreachable" before the member installed the route).
    /// </summary>
    private static TimeSpan FirstAnswerOnceRouted(NetworkNamespace from, string to, TimeSpan limit, Stopwatch clock)
    {
        while (clock.Elapsed < limit)
        {
            var answered = FirstAnswer(from, to, limit, clock);
            if (answered != TimeSpan.MaxValue)
            {
                return answered;
            }

            Thread.Sleep(20);
        }

        return TimeSpan.MaxValue;
    }

    private static string Cli(string state, params string[] args)
    {
        var result = HamachiCli.Run(null, TimeSpan.FromSeconds(20), [.. args, "--state-dir", state]);
        Assert.True(result.ExitCode == 0, $"hamachi {string.Join(' ', args)}: {result.Stdout}{result.Stderr}");
        return result.Stdout;
    }

    private static string Logs(IEnumerable<DaemonProcess> daemons) => string.Join("\n---\n", daemons.Select(d => d.Output));
}
