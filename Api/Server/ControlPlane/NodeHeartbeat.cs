using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>This Api process as a node of the deployment: its id, recorded with every control session it holds.</summary>
internal sealed class ApiNodeIdentity(TimeProvider clock)
{
    public Guid Id { get; } = Guid.CreateVersion7(clock.GetUtcNow());

    public string Name { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";
}

/// <summary>
/// Node liveness, so that presence survives a node that dies: every
/// <c>ControlPlane:NodeHeartbeatSeconds</c> this node stamps its <see cref="ApiNode"/> row, and
/// looks for nodes silent for <c>ControlPlane:NodeTimeoutSeconds</c>. The first node to delete a
/// dead node's row (a conditional delete, so exactly one wins) treats that node's connected
/// devices as lost without goodbye: their peers are asked to verify them and they go offline
/// after the grace period unless they logged in again elsewhere. The same path covers a node that
/// stopped cleanly (its own grace timers stopped with it) and a single node restarted.
/// </summary>
internal sealed class NodeHeartbeat(
    ApiNodeIdentity node,
    IServiceScopeFactory scopes,
    MapChangeQueue changes,
    IOptions<ControlPlaneOptions> options,
    TimeProvider clock,
    ILogger<NodeHeartbeat> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.NodeHeartbeatSeconds), clock);
        do
        {
            try
            {
                await BeatAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                log.LogError(e, "node heartbeat failed; retrying at the next beat");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One beat: stamp this node, then take over dead nodes. Returns the devices taken over.</summary>
    public async Task<int> BeatAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
        var updated = await db.ApiNodes.Where(n => n.Id == node.Id).ExecuteUpdateAsync(s => s.SetProperty(n => n.HeartbeatAt, now), ct);
        if (updated == 0)
        {
            db.ApiNodes.Add(new ApiNode { Id = node.Id, Name = node.Name, StartedAt = now, HeartbeatAt = now });
            await db.SaveChangesAsync(ct);
            log.LogInformation("api node {Node} ({Name}) registered", node.Id, node.Name);
        }

        var cutoff = now.AddSeconds(-options.Value.NodeTimeoutSeconds);
        var dead = await db.ApiNodes.Where(n => n.HeartbeatAt < cutoff).Select(n => n.Id).ToListAsync(ct);
        var taken = 0;
        foreach (var id in dead)
        {
            if (await db.ApiNodes.Where(n => n.Id == id && n.HeartbeatAt < cutoff).ExecuteDeleteAsync(ct) == 0)
            {
                continue; // another node took it, or it came back
            }

            var sessions = await db.Devices.Where(d => d.ConnectionNodeId == id && d.ConnectionId != null)
                .Select(d => new { d.Id, d.ConnectionId }).ToListAsync(ct);
            var offlineAt = now.AddSeconds(options.Value.OfflineGraceSeconds);
            foreach (var s in sessions)
            {
                changes.ConnectionLost(s.Id, s.ConnectionId!, offlineAt);
            }

            taken += sessions.Count;
            log.LogWarning("api node {Node} silent since before {Cutoff}: its {Count} control sessions are treated as lost", id, cutoff, sessions.Count);
        }

        return taken;
    }
}
