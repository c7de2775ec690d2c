using System.Diagnostics;
using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Live;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>A Portal-like client of the live hub: the .NET SignalR client, JSON with the REST conventions, bearer token; records every push.</summary>
public sealed class PortalWatcher : IAsyncDisposable
{
    private readonly List<NetworkMembersUpdate> _updates = [];
    private readonly List<string> _events = [];
    private readonly SemaphoreSlim _signal = new(0);

    private PortalWatcher(HubConnection connection)
    {
        Connection = connection;
        connection.On<NetworkMembersUpdate>(nameof(IPortalClient.MembersChanged), u => Record(() => _updates.Add(u), "members"));
        connection.On<Guid>(nameof(IPortalClient.PathsChanged), id => Record(() => { }, "paths:" + id));
        connection.On<Guid>(nameof(IPortalClient.NetworkDeleted), id => Record(() => { }, "deleted:" + id));
        connection.On(nameof(IPortalClient.NetworksChanged), () => Record(() => { }, "networks"));
        connection.On<NetworkCountsUpdate>(nameof(IPortalClient.NetworkCountsChanged), u => Record(() => _counts.Add(u), "counts:" + u.NetworkId));
    }

    private readonly List<NetworkCountsUpdate> _counts = [];

    /// <summary>The NetworkCountsChanged pushes received, in order.</summary>
    public IReadOnlyList<NetworkCountsUpdate> Counts
    {
        get
        {
            lock (_updates)
            {
                return _counts.ToList();
            }
        }
    }

    public HubConnection Connection { get; }

    public IReadOnlyList<NetworkMembersUpdate> Updates
    {
        get
        {
            lock (_updates)
            {
                return _updates.ToList();
            }
        }
    }

    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_updates)
            {
                return _events.ToList();
            }
        }
    }

    public static async Task<PortalWatcher> ConnectAsync(ApiFactory f, string? accessToken, bool tokenInQuery = false)
    {
        var server = f.Server;
        var url = new Uri(server.BaseAddress, PortalHubContract.PortalHubPath + (tokenInQuery ? "?access_token=" + Uri.EscapeDataString(accessToken!) : ""));
        var connection = new HubConnectionBuilder()
            .WithUrl(url, o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                if (!tokenInQuery && accessToken is not null)
                {
                    o.AccessTokenProvider = () => Task.FromResult<string?>(accessToken);
                }
            })
            .AddJsonProtocol(o => HamachiJson.Configure(o.PayloadSerializerOptions))
            .Build();
        var watcher = new PortalWatcher(connection);
        await connection.StartAsync();
        return watcher;
    }

    public Task<NetworkMembersUpdate> WatchAsync(Guid networkId) => Connection.InvokeAsync<NetworkMembersUpdate>(nameof(IPortalHub.WatchNetwork), networkId);

    /// <summary>Waits (default 30 s: a busy CI machine; tests that time a push say so with their own limit or Took) for a pushed member list of <paramref name="networkId"/> that satisfies <paramref name="condition"/>; returns it and how long it took.</summary>
    public async Task<(NetworkMembersUpdate Update, TimeSpan Took)> WaitForAsync(Guid networkId, Func<NetworkMembersUpdate, bool> condition, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        while (true)
        {
            var match = Updates.LastOrDefault(u => u.NetworkId == networkId && condition(u));
            if (match is not null)
            {
                return (match, clock.Elapsed);
            }

            var left = limit - clock.Elapsed;
            if (left <= TimeSpan.Zero || !await _signal.WaitAsync(left))
            {
                Assert.Fail($"timed out waiting for {what}; got {Updates.Count} updates, events {string.Join(",", Events)}");
            }
        }
    }

    /// <summary>Waits (30 s: a busy CI machine; timing is measured by infra/bench/portal.sh) for a NetworkCountsChanged push of <paramref name="networkId"/> that satisfies <paramref name="condition"/>.</summary>
    public async Task<NetworkCountsUpdate> WaitForCountsAsync(Guid networkId, Func<NetworkCountsUpdate, bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (Counts.LastOrDefault(c => c.NetworkId == networkId && condition(c)) is { } match)
            {
                return match;
            }

            var left = TimeSpan.FromSeconds(30) - clock.Elapsed;
            if (left <= TimeSpan.Zero || !await _signal.WaitAsync(left))
            {
                Assert.Fail($"timed out waiting for {what}; counts {string.Join(",", Counts)}");
            }
        }
    }

    public async Task WaitForEventAsync(string name, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!Events.Contains(name))
        {
            var left = TimeSpan.FromSeconds(30) - clock.Elapsed;
            if (left <= TimeSpan.Zero || !await _signal.WaitAsync(left))
            {
                Assert.Fail($"timed out waiting for {what}; events {string.Join(",", Events)}");
            }
        }
    }

    /// <summary>Forgets what was received so far.</summary>
    public void Clear()
    {
        lock (_updates)
        {
            _updates.Clear();
            _events.Clear();
            _counts.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        _signal.Dispose();
    }

    private void Record(Action apply, string kind)
    {
        lock (_updates)
        {
            apply();
            _events.Add(kind);
        }

        _signal.Release();
    }
}
