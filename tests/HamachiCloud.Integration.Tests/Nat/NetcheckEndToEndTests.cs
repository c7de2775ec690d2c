using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Agent.Engine.Traversal;
using HamachiCloud.Agent.Ipc;
using HamachiCloud.Api.Contracts.SetupKeys;
using HamachiCloud.Api.Tests;
using HamachiCloud.Integration.Tests.EndToEnd;
using HamachiCloud.Integration.Tests.Lab;
using HamachiCloud.Migrations;
using HamachiCloud.Testing;
using HamachiCloud.Testing.Net;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.Nat;

/// <summary>
/// The product path: the real Api (in process, reachable at 203.0.113.10:8080 in the lab) and our relay
/// (registered by heartbeat, STUN on 203.0.113.10 and 198.51.100.10 × ports 3478/3479) on the lab server;
/// a <c>hamachi</c> daemon behind each site kind runs its discovery from the relays in its map, reports it,
/// and <c>hamachi netcheck</c> shows the right classification; the server stored each report.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class NetcheckEndToEndTests(ITestOutputHelper output)
{
    private const int ApiLabPort = 8080;

    [SkippableFact]
    public async Task Daemons_behind_each_site_kind_discover_their_NAT_from_the_map_relays_and_netcheck_and_the_server_show_it()
    {
        Requires.Root();
        Requires.Command("nft");
        using var lab = NatLab.Create(SiteKind.None, SiteKind.Eim, SiteKind.Symmetric, SiteKind.UdpBlocked);
        await using var api = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        var apiPort = FreeLoopbackPort();
        api.UseKestrel(apiPort);
        api.StartServer();
        using var proxy = NamespaceProxy.Start(lab.Server.Namespace, new IPEndPoint(lab.Server.Primary, ApiLabPort), new IPEndPoint(IPAddress.Loopback, apiPort));
        var server = $"http://{lab.Server.Primary}:{ApiLabPort}";
        using var relay = LabProcess.Start(
            lab.Server.Namespace,
            new Dictionary<string, string>
            {
                ["Relay__Id"] = Guid.NewGuid().ToString(),
                ["Relay__Name"] = "lab-relay",
                ["Relay__ListenAddress"] = lab.Server.Primary.ToString(),
                ["Relay__AlternateAddress"] = lab.Server.Secondary.ToString(),
                ["Relay__Port"] = "3478",
                ["Relay__AlternatePort"] = "3479",
                ["Relay__ApiUrl"] = server,
                ["Relay__RegistrationSecret"] = ApiFactory.RelaySecret,
                ["Relay__HeartbeatSeconds"] = "1",
            },
            "Application started",
            HamachiCli.Dotnet, Path.Combine(AppContext.BaseDirectory, "HamachiCloud.Relay.dll"), "--urls", "http://127.0.0.1:5190", "--contentRoot", AppContext.BaseDirectory);

        var owner = await ControlPlaneMeshTests.SignUpAsync(api, "owner");
        var key = await owner.CreateSetupKeyAsync(new CreateSetupKeyRequest("lab", Reusable: true));
        var daemons = new List<DaemonProcess>();
        var states = new List<string>();
        var failures = new List<string>();
        try
        {
            foreach (var site in lab.Sites)
            {
                var state = Directory.CreateTempSubdirectory($"hamachi-nat-{site.Index}-").FullName;
                states.Add(state);
                site.Host.Namespace.Run(HamachiCli.Dotnet, HamachiCli.Dll, "login", "--server", server, "--setup-key", key.Key, "--name", $"site{site.Index}", "--state-dir", state);
                daemons.Add(DaemonProcess.Start(site.Host.Namespace, state));
            }

            var clock = Stopwatch.StartNew();
            foreach (var (site, daemon) in lab.Sites.Zip(daemons))
            {
                Assert.True(daemon.WaitFor("NAT discovery:", 1, TimeSpan.FromSeconds(60)), $"site {site.Index}: no discovery run: {daemon.Output}");
            }

            output.WriteLine($"every daemon ran its discovery {clock.Elapsed.TotalSeconds:0.0} s after the last login");
            foreach (var (site, state) in lab.Sites.Zip(states))
            {
                var table = HamachiCli.Run(null, TimeSpan.FromSeconds(30), "netcheck", "--state-dir", state);
                var json = HamachiCli.Run(null, TimeSpan.FromSeconds(30), "netcheck", "--json", "--state-dir", state);
                Assert.True(json.ExitCode == 0, json.Stderr);
                output.WriteLine($"--- {NatLab.KindName(site.Kind)} (host {site.Host.Address}, public {site.PublicAddress}):\n{table.Stdout}");
                var nat = JsonSerializer.Deserialize<NetcheckResult>(json.Stdout, ControlJson.Options)!.Nat;
                var expected = site.Kind switch
                {
                    SiteKind.None => (false, NatClassifier.EndpointIndependent, NatClassifier.EndpointIndependent, true, true),
                    SiteKind.Eim => (false, NatClassifier.EndpointIndependent, NatClassifier.AddressAndPortDependent, true, false),
                    SiteKind.Symmetric => (false, NatClassifier.EndpointDependent, NatClassifier.AddressAndPortDependent, false, false),
                    _ => ((bool?)true, (string?)null, (string?)null, (bool?)null, (bool?)null),
                };
                var got = (nat?.UdpBlocked, nat?.Mapping, nat?.Filtering, nat?.PortPreserved, nat?.Hairpinning);
                if (got != expected)
                {
                    failures.Add($"{NatLab.KindName(site.Kind)}: expected {expected}, got {got}");
                }

                if (site.Kind != SiteKind.UdpBlocked && nat?.MappedEndpoint?.StartsWith($"{site.PublicAddress}:", StringComparison.Ordinal) != true)
                {
                    failures.Add($"{NatLab.KindName(site.Kind)}: mapped endpoint {nat?.MappedEndpoint} is not at {site.PublicAddress}");
                }
            }

            var devices = await owner.ListDevicesAsync();
            foreach (var site in lab.Sites)
            {
                var stored = devices.Single(d => d.Name == $"site{site.Index}").Nat;
                output.WriteLine($"server has for site{site.Index}: udp-blocked={stored?.UdpBlocked} mapped={stored?.MappedEndpoint} mapping={stored?.Mapping} filtering={stored?.Filtering}");
                if (stored?.UdpBlocked != (site.Kind == SiteKind.UdpBlocked))
                {
                    failures.Add($"server: site{site.Index} stored {stored}");
                }
            }
        }
        finally
        {
            foreach (var daemon in daemons)
            {
                daemon.Dispose();
            }

            foreach (var state in states)
            {
                Directory.Delete(state, recursive: true);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + string.Join("\n---\n", daemons.Select(d => d.Output)) + "\n--- relay\n" + relay.Output);
    }

    private static int FreeLoopbackPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
