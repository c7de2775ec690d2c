using System.Security.Cryptography;
using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Networks;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Agent.Control;

/// <summary>
/// One control connection to <c>{server}{ControlProtocol.HubPath}</c> (SignalR, MessagePack):
/// hello with a fresh nonce, the server's signature checked against the pinned key before
/// anything else is sent, then login with the machine key. Strongly typed: hub methods are
/// invoked by <c>nameof(IAgentHub.…)</c> and server calls bound by <c>nameof(IAgentClient.…)</c>.
/// Not reusable: a new connection per attempt (each needs a new hello).
/// </summary>
public sealed class ControlConnection : IAsyncDisposable
{
    private readonly HubConnection _hub;
    private readonly Guid _deviceId;
    private readonly SigningPublicKey _pinned;
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ControlConnection(string serverUrl, Guid deviceId, SigningPublicKey pinned, IControlEvents events, Func<HttpMessageHandler>? handler = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        _deviceId = deviceId;
        _pinned = pinned;
        var url = new Uri(serverUrl.TrimEnd('/') + ControlProtocol.HubPath);
        _hub = new HubConnectionBuilder()
            .WithUrl(url, options =>
            {
                if (handler is not null)
                {
                    options.HttpMessageHandlerFactory = _ => handler();
                }
            })
            .AddMessagePackProtocol()
            .Build();
        _hub.On<SignedMessage>(nameof(IAgentClient.NetworkMap), events.NetworkMap);
        _hub.On<SignedMessage>(nameof(IAgentClient.NetworkMapDelta), events.NetworkMapDelta);
        _hub.On<VerifyPeersRequest>(nameof(IAgentClient.VerifyPeers), events.VerifyPeers);
        _hub.On<string, string>(nameof(IAgentClient.Goodbye), events.Goodbye);
        _hub.On(nameof(IAgentClient.RelayTokensChanged), events.RelayTokensChanged);
        _hub.Closed += e =>
        {
            _closed.TrySetResult(e);
            return Task.CompletedTask;
        };
    }

    /// <summary>Completes when the connection ends (with the error, if any).</summary>
    public Task<Exception?> Closed => _closed.Task;

    /// <summary>
    /// Connects and logs in. Null on success; otherwise the refusal, and the connection is closed.
    /// Transport failures throw (the caller backs off and retries).
    /// </summary>
    public async Task<LoginRefusal?> LoginAsync(SigningKey machineKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(machineKey);
        await _hub.StartAsync(ct);
        var hello = LoginHandshake.CreateHello(_deviceId, RandomNumberGenerator.GetBytes(ControlProtocol.NonceSize), AgentInfo.Version, AgentInfo.Os);
        var answer = await _hub.InvokeAsync<HelloResponse>(nameof(IAgentHub.Hello), hello, ct);
        var refusal = LoginHandshake.CheckServer(hello, answer, _pinned);
        if (refusal is not null)
        {
            await _hub.StopAsync(CancellationToken.None);
            return refusal;
        }

        var login = await _hub.InvokeAsync<LoginResponse>(nameof(IAgentHub.Login), LoginHandshake.CreateLogin(machineKey, hello, answer), ct);
        if (login is { Ok: true })
        {
            return null;
        }

        await _hub.StopAsync(CancellationToken.None);
        return login is null ? new LoginRefusal("malformed", "the server sent no login answer") : LoginHandshake.Explain(login);
    }

    public Task ReportDiscoveryAsync(DiscoveryReport report, CancellationToken ct) =>
        _hub.InvokeAsync(nameof(IAgentHub.ReportDiscovery), report, ct);

    public Task RequestNetworkMapAsync(CancellationToken ct) => _hub.InvokeAsync(nameof(IAgentHub.RequestNetworkMap), ct);

    public Task<CommandResult> CreateNetworkAsync(string name, NetworkType type, string? password, CancellationToken ct) =>
        _hub.InvokeAsync<CommandResult>(nameof(IAgentHub.CreateNetwork), name, type, password, ct);

    public Task<CommandResult> JoinNetworkAsync(string networkId, string? password, CancellationToken ct) =>
        _hub.InvokeAsync<CommandResult>(nameof(IAgentHub.JoinNetwork), networkId, password, ct);

    public Task<CommandResult> LeaveNetworkAsync(string networkId, CancellationToken ct) =>
        _hub.InvokeAsync<CommandResult>(nameof(IAgentHub.LeaveNetwork), networkId, ct);

    public Task<CommandResult> SetOnlineAsync(string networkId, bool online, CancellationToken ct) =>
        _hub.InvokeAsync<CommandResult>(nameof(IAgentHub.SetOnline), networkId, online, ct);

    public Task<CommandResult> SetNicknameAsync(string nickname, CancellationToken ct) =>
        _hub.InvokeAsync<CommandResult>(nameof(IAgentHub.SetNickname), nickname, ct);

    public Task<CommandResult> AdvertiseRoutesAsync(string networkId, IReadOnlyList<string> prefixes, CancellationToken ct) =>
        _hub.InvokeAsync<CommandResult>(nameof(IAgentHub.AdvertiseRoutes), networkId, prefixes.ToArray(), ct);

    public Task<CommandResult> SetAcceptRoutesAsync(bool accept, CancellationToken ct) =>
        _hub.InvokeAsync<CommandResult>(nameof(IAgentHub.SetAcceptRoutes), accept, ct);

    public Task<RelayTokenGrant> GetRelayTokensAsync(string peerNodeKey, CancellationToken ct) =>
        _hub.InvokeAsync<RelayTokenGrant>(nameof(IAgentHub.GetRelayTokens), peerNodeKey, ct);

    public Task ReportPathsAsync(PathReport report, CancellationToken ct) =>
        _hub.InvokeAsync(nameof(IAgentHub.ReportPaths), report, ct);

    /// <summary>Clean goodbye (the server marks us offline at once), then close.</summary>
    public async Task GoodbyeAsync(CancellationToken ct)
    {
        if (_hub.State == HubConnectionState.Connected)
        {
            await _hub.InvokeAsync(nameof(IAgentHub.Goodbye), ct);
        }

        await _hub.StopAsync(ct);
    }

    public ValueTask DisposeAsync() => _hub.DisposeAsync();
}
