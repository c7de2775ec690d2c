using HamachiCloud.Api.Bans;
using HamachiCloud.Protocol.Control;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// Ends live control sessions that login would refuse now: the remote address, the device or its
/// account is newly banned (scope Control; a range ban's exemptions spare their accounts), the device was deleted, its keys
/// expired, or support disabled its account. Runs on every node over that
/// node's own <see cref="LiveSessions"/>, every <c>ControlPlane:SessionCheckSeconds</c> and at
/// once when any node changes a ban (<see cref="BanBus"/>) or this node deletes a device. The agent is told why
/// (<see cref="IAgentClient.Goodbye"/>), the connection is closed a moment later, and the device
/// goes offline for its peers at the next tick (no verify-and-wait: the server ended it).
/// </summary>
internal sealed class SessionEnforcer(
    LiveSessions sessions,
    BanList bans,
    IServiceScopeFactory scopes,
    IHubContext<AgentHub, IAgentClient> hub,
    MapChangeQueue changes,
    IOptions<ControlPlaneOptions> options,
    TimeProvider clock,
    ILogger<SessionEnforcer> log) : BackgroundService
{
    private static readonly TimeSpan GoodbyeLinger = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.SessionCheckSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            await sessions.WaitAsync(interval, clock, stoppingToken);
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                log.LogError(e, "checking live control sessions failed; retrying at the next interval");
            }
        }
    }

    /// <summary>One pass over this node's sessions. Returns how many were ended.</summary>
    public async Task<int> CheckAsync(CancellationToken ct)
    {
        var live = sessions.Snapshot();
        if (live.Count == 0)
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        var ids = live.Select(s => s.DeviceId).Distinct().ToList();
        Dictionary<Guid, DateTimeOffset?> devices;
        HashSet<Guid> disabled;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
            devices = await db.Devices.Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.KeyExpiresAt, ct);
            disabled = [.. await db.Devices.Where(d => ids.Contains(d.Id) && d.User!.DisabledAt != null).Select(d => d.Id).ToListAsync(ct)];
        }

        var ended = 0;
        foreach (var session in live)
        {
            var verdict = disabled.Contains(session.DeviceId)
                ? (LoginErrors.AccountDisabled, "support disabled this device's account")
                : await JudgeAsync(session, devices, now, ct);
            if (verdict is { } v)
            {
                await EndAsync(session, v.Code, v.Reason, ct);
                ended++;
            }
        }

        return ended;
    }

    private async Task<(string Code, string Reason)?> JudgeAsync(LiveSession session, Dictionary<Guid, DateTimeOffset?> devices, DateTimeOffset now, CancellationToken ct)
    {
        if (await bans.FindAsync(session.Remote, session.UserId, session.DeviceId, BanScope.Control, ct) is { } ban)
        {
            return (LoginErrors.Banned, ban.Describe(session.Remote));
        }

        if (!devices.TryGetValue(session.DeviceId, out var expires))
        {
            return (LoginErrors.UnknownDevice, "this device was deleted from its account");
        }

        return expires is { } e && e <= now ? (LoginErrors.KeyExpired, "this device's keys expired; log in again") : null;
    }

    private async Task AbortLaterAsync(HubCallerContext context)
    {
        await Task.Delay(GoodbyeLinger, clock);
        context.Abort();
    }

    private async Task EndAsync(LiveSession session, string code, string reason, CancellationToken ct)
    {
        sessions.Remove(session.ConnectionId);
        if (session.Context.Items.TryGetValue(typeof(AgentSession), out var value) && value is AgentSession agent)
        {
            agent.Stage = AgentStage.Closed; // ended by the server: no "lost connection" grace on disconnect
        }

        log.LogWarning("ending control session of device {DeviceId} from {Remote}: {Code}", session.DeviceId, session.Remote, code);
        try
        {
            await hub.Clients.Client(session.ConnectionId).Goodbye(code, reason);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogInformation("goodbye to {ConnectionId} not delivered: {Error}", session.ConnectionId, e.Message);
        }

        _ = AbortLaterAsync(session.Context);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
        var connection = session.ConnectionId;
        var cleared = await db.Devices.Where(d => d.Id == session.DeviceId && d.ConnectionId == connection)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ConnectionId, (string?)null), ct);
        if (cleared > 0)
        {
            changes.DeviceChanged(session.DeviceId);
        }
    }
}
