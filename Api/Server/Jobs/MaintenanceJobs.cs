using OpenIddict.Abstractions;

namespace HamachiCloud.Api.Jobs;

/// <summary>
/// Recurring housekeeping run by Hangfire, one recurring job per concern so the dashboard (<c>/jobs</c>) shows each
/// with its own schedule and last run: expired tokens, authorizations and device-code requests; expired bans;
/// stale path reports. See <see cref="RecurringJobs"/> for the schedule.
/// </summary>
internal sealed class MaintenanceJobs(
    IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, HamachiDbContext db, TimeProvider clock,
    Audit.AuditLog audit, Bans.BanBus bus)
{
    /// <summary>The single job of earlier versions, removed from the storage at start.</summary>
    public const string RetiredPruneJobId = "prune-expired";
    public const string TokenPruningJobId = "token-pruning";
    public const string BanExpiryJobId = "ban-expiry";
    public const string PathReportPruningJobId = "path-report-pruning";

    /// <summary>Tokens and authorizations expired or revoked for two weeks; device-flow requests whose code can no longer be approved.</summary>
    public async Task PruneTokensAsync(CancellationToken ct)
    {
        var threshold = clock.GetUtcNow().AddDays(-14);
        await tokens.PruneAsync(threshold, ct);
        await authorizations.PruneAsync(threshold, ct);
        var now = clock.GetUtcNow();
        await db.DeviceCodeRequests.Where(r => r.ExpiresAt < now).ExecuteDeleteAsync(ct);
    }

    /// <summary>
    /// Bans whose expiry passed since the last run: each is marked (its <see cref="Ban.UpdatedAt"/> moves past its
    /// expiry), audited once as "ban.expired", and every Api node and relay is told at once, so their copies drop it.
    /// An expired ban already stops acting at lookup on every node and relay; the row is kept, like a lifted one,
    /// with its hit count and history (and so an account's "never banned" exemption stays true to the record).
    /// </summary>
    public async Task ExpireBansAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var expired = await db.Bans.Where(b => b.LiftedAt == null && b.ExpiresAt != null && b.ExpiresAt <= now).ToListAsync(ct);
        expired = expired.Where(b => b.UpdatedAt < b.ExpiresAt).ToList(); // not marked yet (DateTimeOffset comparison in memory: SQLite)
        if (expired.Count == 0)
        {
            return;
        }

        foreach (var ban in expired)
        {
            ban.UpdatedAt = now;
            audit.Record(null, "ban.expired", "ban", ban.Id, ban.Cidr ?? ban.UserId?.ToString() ?? ban.DeviceId?.ToString());
        }

        await db.SaveChangesAsync(ct);
        await bus.PublishAsync();
    }

    /// <summary>Path reports are live telemetry: once stale they are no longer listed, so they go.</summary>
    public async Task PrunePathReportsAsync(CancellationToken ct)
    {
        var staleSince = clock.GetUtcNow() - Paths.PathReports.StaleAfter;
        await db.PeerPaths.Where(p => p.ReportedAt < staleSince).ExecuteDeleteAsync(ct);
    }
}
