using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Tests;
using HamachiCloud.Testing.Net;

namespace HamachiCloud.Integration.Tests.Lab;

/// <summary>
/// The real Api in process (an <see cref="ApiFactory"/> on Kestrel at a free loopback port) made
/// reachable at a lab "public" address <c>http://ADDRESS:8080</c> in a namespace by a
/// <see cref="NamespaceProxy"/>. It can become unreachable (proxy stopped), really stop (host
/// disposed, database and keys kept) and start again on the same port, database and keys.
/// </summary>
internal sealed class LabApi : IAsyncDisposable
{
    public const int LabPort = 8080;

    private readonly int _port;
    private NamespaceProxy? _proxy;
    private ApiFactory? _successor;

    private LabApi(ApiFactory factory, int port, NetworkNamespace ns, IPAddress address)
    {
        Factory = factory;
        _port = port;
        Namespace = ns;
        Address = address;
    }

    public ApiFactory Factory { get; private set; }

    public NetworkNamespace Namespace { get; }

    public IPAddress Address { get; }

    /// <summary>The server URL agents use.</summary>
    public string Url => $"http://{Address}:{LabPort}";

    /// <summary>The same Api on loopback (Kestrel's own port): for a browser or the Portal outside the lab namespaces.</summary>
    public string LoopbackUrl => $"http://127.0.0.1:{_port}";

    /// <summary>Starts <paramref name="factory"/> on Kestrel and exposes it at <paramref name="address"/>:8080 inside <paramref name="ns"/>.</summary>
    public static LabApi Start(ApiFactory factory, NetworkNamespace ns, IPAddress address)
    {
        var port = FreeLoopbackPort();
        factory.UseKestrel(port);
        factory.StartServer();
        var api = new LabApi(factory, port, ns, address);
        api.Reachable();
        return api;
    }

    /// <summary>Cuts the lab address off (the Api keeps running).</summary>
    public void Unreachable()
    {
        _proxy?.Dispose();
        _proxy = null;
    }

    public void Reachable() =>
        _proxy ??= NamespaceProxy.Start(Namespace, new IPEndPoint(Address, LabPort), new IPEndPoint(IPAddress.Loopback, _port));

    /// <summary>Stops the Api for real (its host is disposed); the lab address still accepts and drops connections.</summary>
    public async Task StopAsync()
    {
        _successor = Factory.CreateSuccessor();
        await Factory.DisposeAsync();
    }

    /// <summary>A new Api process on the same port, database and identity key directory.</summary>
    public void Restart()
    {
        Factory = _successor ?? throw new InvalidOperationException("not stopped");
        _successor = null;
        Factory.UseKestrel(_port);
        Factory.StartServer();
    }

    /// <summary>
    /// A registered account signed in with the code + PKCE flow (as <see cref="TestUser.CreateAsync"/>, but
    /// with the browser pointed at the Kestrel address: OAuthFlows.Browser assumes the in-memory server).
    /// </summary>
    public async Task<HamachiClient> SignUpAsync(string name) => await SignUpAsync(Factory, name);

    public static async Task<HamachiClient> SignUpAsync(ApiFactory api, string name)
    {
        var email = $"{name}-{Guid.NewGuid():N}@example.test";
        const string password = "correct horse battery staple";
        await new HamachiClient(api.CreateClient()).RegisterAsync(new RegisterRequest(email, password, name));
        return await SignInAsync(api, email, password);
    }

    /// <summary>Signs a registered account in with the code + PKCE flow against the Kestrel address; its typed client.</summary>
    public static async Task<HamachiClient> SignInAsync(ApiFactory api, string email, string password)
    {
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

    public static int FreeLoopbackPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Unreachable();
        if (_successor is not null)
        {
            await _successor.DisposeAsync(); // stopped and never restarted: it owns the files now
        }
        else
        {
            await Factory.DisposeAsync();
        }
    }
}
