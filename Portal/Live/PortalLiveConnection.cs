using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Live;
using HamachiCloud.Portal.Auth;
using HamachiCloud.Portal.Hosting;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Portal.Live;

/// <summary>
/// One SignalR connection per circuit (scoped; disposed with the circuit) to the Api's
/// <see cref="PortalHubContract.PortalHubPath"/>, JSON with the REST conventions. The bearer token is
/// the circuit user's, from <see cref="AccessTokens"/> at every (re)connect, so it is refreshed.
/// Started on first use; drops reconnect forever (<see cref="LiveRetryPolicy"/>), and a close the
/// client does not retry (the server closing on token expiry, a failed first start) restarts the
/// same way. Not a polling loop: nothing is read while connected except the pushes.
/// </summary>
public sealed class PortalLiveConnection : IPortalLive, IAsyncDisposable
{
    private readonly AuthenticationStateProvider _authentication;
    private readonly AccessTokens _tokens;
    private readonly TimeProvider _clock;
    private readonly ILogger<PortalLiveConnection> _log;
    private readonly HubConnection _connection;
    private readonly Dictionary<Guid, int> _watched = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _connectLoop;
    private LiveState _state = LiveState.Connecting;

    public PortalLiveConnection(AuthenticationStateProvider authentication, AccessTokens tokens, IOptions<PortalOptions> options,
        TimeProvider clock, ILogger<PortalLiveConnection> log)
    {
        _authentication = authentication;
        _tokens = tokens;
        _clock = clock;
        _log = log;
        var url = new Uri(options.Value.ApiBase, PortalHubContract.PortalHubPath.TrimStart('/'));
        _connection = new HubConnectionBuilder()
            .WithUrl(url, o => o.AccessTokenProvider = GetTokenAsync)
            .AddJsonProtocol(o => HamachiJson.Configure(o.PayloadSerializerOptions))
            .WithAutomaticReconnect(new LiveRetryPolicy())
            .Build();

        _connection.On<NetworkMembersUpdate>(nameof(IPortalClient.MembersChanged), u => Pushed(() => MembersChanged?.Invoke(u)));
        _connection.On<Guid>(nameof(IPortalClient.PathsChanged), id => Pushed(() => PathsChanged?.Invoke(id)));
        _connection.On<Guid>(nameof(IPortalClient.NetworkDeleted), id => Pushed(() => NetworkDeleted?.Invoke(id)));
        _connection.On(nameof(IPortalClient.NetworksChanged), () => Pushed(() => NetworksChanged?.Invoke()));
        _connection.On<NetworkCountsUpdate>(nameof(IPortalClient.NetworkCountsChanged), u => Pushed(() => NetworkCountsChanged?.Invoke(u)));
        _connection.Reconnecting += _ =>
        {
            SetState(LiveState.Reconnecting);
            return Task.CompletedTask;
        };
        _connection.Reconnected += _ => OnConnectedAsync();
        _connection.Closed += error =>
        {
            if (!_stopping.IsCancellationRequested && _state != LiveState.SignedOut)
            {
                _log.LogInformation(error, "portal hub closed; connecting again");
                SetState(LiveState.Reconnecting);
                StartLoop();
            }

            return Task.CompletedTask;
        };
    }

    public LiveState State => _state;

    public DateTimeOffset? LastUpdateAt { get; private set; }

    public event Action<NetworkMembersUpdate>? MembersChanged;

    public event Action<Guid>? PathsChanged;

    public event Action<Guid>? NetworkDeleted;

    public event Action? NetworksChanged;

    public event Action<NetworkCountsUpdate>? NetworkCountsChanged;

    public event Action? StateChanged;

    /// <summary>How long a page waits for the first connect before it reads over REST instead.</summary>
    public static readonly TimeSpan FirstConnectWait = TimeSpan.FromSeconds(5);

    public async Task StartAsync(CancellationToken ct)
    {
        StartLoop();
        try
        {
            await _firstAttempt.Task.WaitAsync(FirstConnectWait, _clock, ct);
        }
        catch (TimeoutException)
        {
            // Still trying in the background; the page shows "Reconnecting…" meanwhile.
        }
    }

    public async Task<NetworkMembersUpdate?> WatchNetworkAsync(Guid networkId, CancellationToken ct)
    {
        lock (_gate)
        {
            _watched[networkId] = _watched.GetValueOrDefault(networkId) + 1;
        }

        await StartAsync(ct);
        if (_connection.State != HubConnectionState.Connected)
        {
            return null;
        }

        try
        {
            return await _connection.InvokeAsync<NetworkMembersUpdate>(nameof(IPortalHub.WatchNetwork), networkId, ct);
        }
        catch (Exception e) when (e is HubException or InvalidOperationException or IOException)
        {
            // Forbidden (not a member: the REST calls say so), or the connection dropped meanwhile
            // (the watch is kept and renewed on reconnect).
            _log.LogInformation("watch network {NetworkId}: {Reason}", networkId, e.Message);
            return null;
        }
    }

    public async Task UnwatchNetworkAsync(Guid networkId)
    {
        lock (_gate)
        {
            if (!_watched.TryGetValue(networkId, out var count))
            {
                return;
            }

            if (count > 1)
            {
                _watched[networkId] = count - 1;
                return;
            }

            _watched.Remove(networkId);
        }

        if (_connection.State == HubConnectionState.Connected && !_stopping.IsCancellationRequested)
        {
            try
            {
                await _connection.InvokeAsync(nameof(IPortalHub.UnwatchNetwork), networkId);
            }
            catch (Exception e) when (e is HubException or InvalidOperationException or IOException or OperationCanceledException)
            {
                _log.LogDebug("unwatch network {NetworkId}: {Reason}", networkId, e.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _connection.DisposeAsync();
            if (_connectLoop is not null)
            {
                await _connectLoop;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The circuit is gone; nothing to tell anyone.
        }

        _stopping.Dispose();
    }

    private void StartLoop()
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested || (_connectLoop is { IsCompleted: false }))
            {
                return;
            }

            _connectLoop = Task.Run(ConnectLoopAsync);
        }
    }

    /// <summary>Start attempts until one succeeds, the session ends, or the circuit goes.</summary>
    private async Task ConnectLoopAsync()
    {
        var ct = _stopping.Token;
        for (var attempt = 0L; !ct.IsCancellationRequested; attempt++)
        {
            try
            {
                if (_connection.State == HubConnectionState.Disconnected)
                {
                    await _connection.StartAsync(ct);
                }

                await OnConnectedAsync();
                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or System.Net.WebSockets.WebSocketException
                                          or OperationCanceledException)
            {
                _log.LogInformation("portal hub {Url} not reachable (attempt {Attempt}): {Reason}", PortalHubContract.PortalHubPath, attempt + 1, e.Message);
                if (_state != LiveState.SignedOut)
                {
                    SetState(LiveState.Reconnecting);
                }

                _firstAttempt.TrySetResult();
                if (_state == LiveState.SignedOut)
                {
                    return;
                }
            }

            try
            {
                await Task.Delay(LiveRetryPolicy.DelayFor(attempt + 1), _clock, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>(Re)connected: renew every watch and raise its current list, then tell listeners to re-read the rest.</summary>
    private async Task OnConnectedAsync()
    {
        LastUpdateAt = _clock.GetUtcNow();
        SetState(LiveState.Live);
        _firstAttempt.TrySetResult();
        Guid[] watched;
        lock (_gate)
        {
            watched = [.. _watched.Keys];
        }

        foreach (var id in watched)
        {
            try
            {
                var update = await _connection.InvokeAsync<NetworkMembersUpdate>(nameof(IPortalHub.WatchNetwork), id, _stopping.Token);
                MembersChanged?.Invoke(update);
                PathsChanged?.Invoke(id);
            }
            catch (Exception e) when (e is HubException or InvalidOperationException or IOException or OperationCanceledException)
            {
                _log.LogInformation("renew watch of network {NetworkId}: {Reason}", id, e.Message);
            }
        }

        NetworksChanged?.Invoke();
    }

    private async Task<string?> GetTokenAsync()
    {
        var state = await _authentication.GetAuthenticationStateAsync();
        var sessionId = state.User.FindFirst(SessionClaims.SessionId)?.Value;
        if (sessionId is null)
        {
            SetState(LiveState.SignedOut);
            return null;
        }

        try
        {
            return await _tokens.GetAsync(sessionId, _stopping.Token);
        }
        catch (SessionEndedException)
        {
            SetState(LiveState.SignedOut);
            return null;
        }
    }

    private void Pushed(Action raise)
    {
        LastUpdateAt = _clock.GetUtcNow();
        raise();
    }

    private void SetState(LiveState state)
    {
        if (_state == state)
        {
            return;
        }

        _state = state;
        StateChanged?.Invoke();
    }
}
