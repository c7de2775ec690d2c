using HamachiCloud.Api.ControlPlane;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Live;

/// <summary>
/// Every <see cref="ControlPlaneOptions.SessionCheckSeconds"/>, re-reads the memberships behind this
/// node's watches (one query) and fixes their groups (<see cref="PortalWatchGroups"/>), so a change
/// made through another Api node reaches this node's watchers within that period.
/// </summary>
internal sealed class PortalWatchRevalidator(
    PortalWatchers watchers,
    IServiceScopeFactory scopes,
    IOptions<ControlPlaneOptions> options,
    TimeProvider clock,
    ILogger<PortalWatchRevalidator> log) : BackgroundService
{
    public async Task RevalidateAsync(CancellationToken ct)
    {
        var watches = watchers.Snapshot();
        if (watches.Count == 0)
        {
            return;
        }

        var networks = watches.Select(w => w.NetworkId).Distinct().ToList();
        var users = watches.Select(w => w.UserId).Distinct().ToList();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
        var roles = await db.Memberships.AsNoTracking()
            .Where(m => networks.Contains(m.NetworkId) && users.Contains(m.UserId) && m.Status == MemberStatus.Active)
            .Select(m => new { m.NetworkId, m.UserId, m.Role })
            .ToDictionaryAsync(m => (m.NetworkId, m.UserId), m => m.Role, ct);
        await scope.ServiceProvider.GetRequiredService<PortalWatchGroups>()
            .ApplyAsync(watches, (n, u) => roles.TryGetValue((n, u), out var role) ? role : null, ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SessionCheckSeconds), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RevalidateAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "portal watch revalidation failed; the next round goes on");
            }
        }
    }
}
