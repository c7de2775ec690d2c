using System.Diagnostics;
using System.Net;
using HamachiCloud.Api.Tests;
using HamachiCloud.Data;
using HamachiCloud.Integration.Tests.Lab;
using HamachiCloud.Integration.Tests.Nat;
using HamachiCloud.Migrations;
using HamachiCloud.Testing;
using HamachiCloud.Testing.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.Portal;

/// <summary>
/// The whole product for browser tests, on free loopback ports and in lab namespaces:
/// <list type="bullet">
/// <item>the real Api in process (<see cref="LabApi"/>: Kestrel on loopback for the browser and the Portal, and
/// <c>http://198.18.0.11:8080</c> in host 0's namespace for the relay), SQLite, mail written as <c>.eml</c> files to
/// <see cref="Mail"/>, its Portal client allowed to redirect to this lab's Portal. Agents reach it at
/// <see cref="AgentServerUrl"/>, the browser's own address forwarded into each agent host's loopback: OpenIddict
/// ties device codes to the issuer (the URL a request came in on), so the CLI and the browser that approves
/// its code must use the same URL, as they do in production;</item>
/// <item>the real relay process in host 0's namespace (UDP 3478, WebSocket 8443), registered with the Api;</item>
/// <item>the real Portal as its own process (<see cref="PortalProcess"/>) when asked for;</item>
/// <item>Debian's Chromium through Playwright (<see cref="Browser"/>).</item>
/// </list>
/// Hosts 1.. are free for agents. Dispose stops everything and writes the relay's and the Portal's output to the test log.
/// </summary>
internal sealed class PortalLab : IAsyncDisposable
{
    private const int RelayHttpPort = 8443;

    public static readonly Guid RelayId = Guid.Parse("00000000-0000-4000-8000-0000000000aa");

    private readonly ITestOutputHelper _output;
    private readonly List<LabAgent> _agents = [];
    private readonly List<NamespaceProxy> _proxies = [];

    private PortalLab(LabHosts hosts, MailFolder mail, int portalPort, ITestOutputHelper output)
    {
        Hosts = hosts;
        Mail = mail;
        PortalPort = portalPort;
        _output = output;
    }

    public LabHosts Hosts { get; }

    public MailFolder Mail { get; }

    public LabApi Api { get; private set; } = null!;

    public LabProcess Relay { get; private set; } = null!;

    /// <summary>The Portal process (null when the lab was started without it).</summary>
    public PortalProcess? Portal { get; private set; }

    public LabBrowser Browser { get; private set; } = null!;

    /// <summary>The Api's URL for agents on hosts 1.. (the same as the browser's, see the class summary).</summary>
    public string AgentServerUrl => Api.LoopbackUrl;

    /// <summary>The loopback port the Portal has (or would have): the Api's redirect URIs name it.</summary>
    public int PortalPort { get; }

    public string PortalUrl => $"http://127.0.0.1:{PortalPort}";

    /// <summary>How long <see cref="StartAsync"/> took (Api, relay registered, Portal answering, browser up).</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Agents started through <see cref="AddAgent"/>; stopped on dispose.</summary>
    public IReadOnlyList<LabAgent> Agents => _agents;

    /// <param name="agentHosts">Namespace hosts for agents (host 0, the server's, comes on top).</param>
    /// <param name="portal">Start the Portal: it must be built (a failure in CI, a skip elsewhere, when it is not).</param>
    /// <param name="apiSettings">More Api configuration keys (e.g. <c>Identity:RequireConfirmedEmail</c>), applied last.</param>
    public static async Task<PortalLab> StartAsync(ITestOutputHelper output, int agentHosts = 2, bool portal = true,
        IReadOnlyDictionary<string, string>? apiSettings = null)
    {
        Requires.Root();
        var portalDll = portal ? PortalProcess.RequireDll() : null;
        Requires.Chromium();
        var clock = Stopwatch.StartNew();
        var lab = new PortalLab(LabHosts.Up(1 + agentHosts), MailFolder.Create(), LabApi.FreeLoopbackPort(), output);
        try
        {
            await lab.StartAsync(portalDll, apiSettings ?? new Dictionary<string, string>());
            lab.StartupTime = clock.Elapsed;
            output.WriteLine($"portal lab up in {lab.StartupTime.TotalSeconds:0.0} s: api {lab.Api.LoopbackUrl} (relay: {lab.Api.Url}), "
                + $"portal {(lab.Portal is null ? "not started" : lab.PortalUrl)}, mail {lab.Mail.Path}");
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Host <paramref name="index"/> (1-based) for an agent.</summary>
    public NetworkNamespace AgentHost(int index) => Hosts.Hosts[index].Namespace;

    /// <summary>Starts the daemon of an agent enrolled in <paramref name="state"/> (e.g. by <see cref="DeviceLogin"/>) on <paramref name="host"/>.</summary>
    public LabAgent AddAgent(int host, string state, string name)
    {
        var agent = LabAgent.FromState(AgentHost(host), state, name, _output);
        _agents.Add(agent);
        agent.Start();
        return agent;
    }

    /// <summary>The relay's and the Portal's output so far.</summary>
    public string Logs() =>
        $"--- relay ---\n{Relay?.Output}\n--- portal ({(Portal is null ? "not started" : PortalUrl)}) ---\n{Portal?.Output}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var agent in _agents)
            {
                agent.Dispose();
            }

            if (Browser is not null)
            {
                await Browser.DisposeAsync();
            }

            Portal?.Dispose();
            Relay?.Dispose();
            foreach (var proxy in _proxies)
            {
                proxy.Dispose();
            }

            if (Api is not null)
            {
                await Api.DisposeAsync();
            }

            _output.WriteLine(Logs());
        }
        finally
        {
            Hosts.Dispose();
            Mail.Dispose();
        }
    }

    private async Task StartAsync(string? portalDll, IReadOnlyDictionary<string, string> apiSettings)
    {
        var (serverNs, serverAddress) = Hosts.Hosts[0];
        var settings = new Dictionary<string, string>
        {
            ["Identity:PortalUrl"] = PortalUrl,
            ["Identity:PortalRedirectUris:0"] = $"{PortalUrl}/signin-oidc",
            ["Identity:PortalPostLogoutRedirectUris:0"] = $"{PortalUrl}/signout-callback-oidc",
            ["Mail:PickupDirectory"] = Mail.Path,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in apiSettings)
        {
            settings[key] = value;
        }

        var factory = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite, settings);
        try
        {
            Api = LabApi.Start(factory, serverNs, serverAddress);
        }
        catch
        {
            await factory.DisposeAsync();
            throw;
        }

        var loopback = new IPEndPoint(IPAddress.Loopback, new Uri(Api.LoopbackUrl).Port);
        for (var host = 1; host < Hosts.Hosts.Count; host++)
        {
            _proxies.Add(NamespaceProxy.Start(Hosts.Hosts[host].Namespace, loopback, loopback));
        }

        Relay = LabProcess.Start(serverNs, [HamachiCli.Dotnet, Path.Combine(AppContext.BaseDirectory, "HamachiCloud.Relay.dll"),
            "--urls", $"http://{serverAddress}:{RelayHttpPort}", "--Relay:WebSocketUrl", $"ws://{serverAddress}:{RelayHttpPort}/relay",
            "--contentRoot", AppContext.BaseDirectory, "--Relay:Id", RelayId.ToString(), "--Relay:ListenAddress", serverAddress.ToString(), "--Relay:Port", "3478",
            "--Relay:ApiUrl", Api.Url, "--Relay:RegistrationSecret", ApiFactory.RelaySecret, "--Relay:HeartbeatSeconds", "2"]);

        // The Portal and the browser start while the relay registers.
        var relay = WaitForRelayAsync(TimeSpan.FromSeconds(60));
        var portal = portalDll is null ? Task.FromResult<PortalProcess?>(null) : StartPortalAsync(portalDll);
        var browser = LabBrowser.LaunchAsync(_output);
        try
        {
            await Task.WhenAll(relay, portal, browser);
        }
        finally
        {
            Portal = portal.IsCompletedSuccessfully ? portal.Result : null;
            Browser = browser.IsCompletedSuccessfully ? browser.Result : null!;
        }
    }

    private async Task<PortalProcess?> StartPortalAsync(string dll) =>
        await PortalProcess.StartAsync(dll, PortalPort, Api.LoopbackUrl);

    private async Task WaitForRelayAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using (var scope = Api.Factory.Services.CreateScope())
            {
                if (await scope.ServiceProvider.GetRequiredService<HamachiDbContext>().Relays.AnyAsync())
                {
                    return;
                }
            }

            if (Relay.HasExited)
            {
                throw new IOException($"the relay exited before it registered with the Api:\n{Relay.Output}");
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"the relay did not register with the Api within {limit.TotalSeconds} s:\n{Relay.Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }
    }
}
