using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.SignalR;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// The logged-in control sessions held by this node (connection id → caller context, remote
/// address, device, account), so that <see cref="SessionEnforcer"/> can end a session whose address was
/// banned or whose device was deleted after it logged in. <see cref="CheckNow"/> wakes the
/// enforcer at once (this node changed a ban or deleted a device).
/// </summary>
internal sealed class LiveSessions : IDisposable
{
    private readonly ConcurrentDictionary<string, LiveSession> _sessions = new();
    private readonly SemaphoreSlim _wake = new(0, 1);

    public int Count => _sessions.Count;

    public void Dispose() => _wake.Dispose();

    public void Add(HubCallerContext context, IPAddress? remote, Guid deviceId, Guid userId) =>
        _sessions[context.ConnectionId] = new LiveSession(context, Normalize(remote), deviceId, userId);

    public void Remove(string connectionId) => _sessions.TryRemove(connectionId, out _);

    public IReadOnlyList<LiveSession> Snapshot() => [.. _sessions.Values];

    public void CheckNow()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A check is already pending.
        }
    }

    /// <summary>Waits for <see cref="CheckNow"/> or the interval, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan interval, TimeProvider clock, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(interval, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await _wake.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Interval elapsed.
        }
    }

    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}

internal sealed record LiveSession(HubCallerContext Context, IPAddress? Remote, Guid DeviceId, Guid UserId)
{
    public string ConnectionId => Context.ConnectionId;
}
