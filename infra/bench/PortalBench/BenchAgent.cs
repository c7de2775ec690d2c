using System.Security.Cryptography;
using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Enrolment;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace PortalBench;

/// <summary>
/// One simulated agent with the real protocol: enrolled with a setup key over REST, then each session is
/// a new control connection (SignalR, MessagePack, like the agent's ControlConnection) with the agent's
/// own handshake steps (<see cref="LoginHandshake"/>): hello, the server's proof checked against the key
/// pinned at enrolment, login with the machine key. Going offline is a clean <c>Goodbye</c>.
/// </summary>
internal sealed class BenchAgent : IAsyncDisposable
{
    private readonly string _apiUrl;
    private readonly SigningKey _machineKey;
    private readonly EnrolResponse _enrolment;
    private readonly SigningPublicKey _pinned;
    private HubConnection? _hub;
    private HelloRequest? _hello;
    private HelloResponse? _answer;

    private BenchAgent(string apiUrl, SigningKey machineKey, EnrolResponse enrolment)
    {
        _apiUrl = apiUrl;
        _machineKey = machineKey;
        _enrolment = enrolment;
        _pinned = SigningPublicKey.FromBytes(Convert.FromBase64String(enrolment.ServerIdentityKey));
    }

    public Guid DeviceId => _enrolment.DeviceId;

    public static async Task<BenchAgent> EnrolAsync(string apiUrl, string setupKey, string name, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(apiUrl.TrimEnd('/') + "/") };
        var machine = SigningKey.Generate();
        var request = new EnrolRequest(name, machine.PublicKey.ToBase64(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), setupKey);
        var enrolment = await new HamachiClient(http).EnrolAsync(request, ct);
        return new BenchAgent(apiUrl, machine, enrolment);
    }

    /// <summary>Opens a new control connection and sends hello; the server's proof is checked. Not yet online.</summary>
    public async Task ConnectAsync(CancellationToken ct)
    {
        await CloseAsync();
        _hub = new HubConnectionBuilder()
            .WithUrl(new Uri(_apiUrl.TrimEnd('/') + ControlProtocol.HubPath))
            .AddMessagePackProtocol()
            .Build();
        // The maps and deltas are not needed here; handlers keep the client from logging unknown methods.
        _hub.On<SignedMessage>(nameof(IAgentClient.NetworkMap), _ => { });
        _hub.On<SignedMessage>(nameof(IAgentClient.NetworkMapDelta), _ => { });
        _hub.On<VerifyPeersRequest>(nameof(IAgentClient.VerifyPeers), _ => { });
        _hub.On<string, string>(nameof(IAgentClient.Goodbye), (_, _) => { });
        await _hub.StartAsync(ct);
        _hello = LoginHandshake.CreateHello(DeviceId, RandomNumberGenerator.GetBytes(ControlProtocol.NonceSize), "portal-bench", "Linux (portal-bench)");
        _answer = await _hub.InvokeAsync<HelloResponse>(nameof(IAgentHub.Hello), _hello, ct);
        var refusal = LoginHandshake.CheckServer(_hello, _answer, _pinned);
        if (refusal is not null)
        {
            throw new InvalidOperationException($"agent {DeviceId}: hello refused: {refusal}");
        }
    }

    /// <summary>Logs in on the connection <see cref="ConnectAsync"/> opened: the device goes online.</summary>
    public async Task LoginAsync(CancellationToken ct)
    {
        var hub = _hub ?? throw new InvalidOperationException("connect first");
        var login = await hub.InvokeAsync<LoginResponse>(nameof(IAgentHub.Login), LoginHandshake.CreateLogin(_machineKey, _hello!, _answer!), ct);
        if (login is not { Ok: true })
        {
            throw new InvalidOperationException($"agent {DeviceId}: login refused: {(login is null ? "no answer" : LoginHandshake.Explain(login))}");
        }
    }

    /// <summary>Clean goodbye: the server marks the device offline at once; then the connection is closed.</summary>
    public async Task GoodbyeAsync(CancellationToken ct)
    {
        var hub = _hub ?? throw new InvalidOperationException("connect first");
        await hub.InvokeAsync(nameof(IAgentHub.Goodbye), ct);
    }

    public async Task CloseAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
            _hub = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _machineKey.Dispose();
    }
}
