using OpenIddict.Abstractions;

namespace HamachiCloud.Api.Jobs;

/// <summary>
/// Recurring housekeeping run by Hangfire, one recurring job per concern so the dashboard (<c>/jobs</c>) shows each
/// with its own schedule and last run: expired tokens, authorizations and device-code requests; expired bans;
/// stale path reports. See <see cref="RecurringJobs"/> for the schedule.
/// </summary>
public sealed class MaintenanceJobs(
    IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, HamachiDbContext db, TimeProvider clock)
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

    /// <summary>Bans expired for two weeks.</summary>
    public async Task ExpireBansAsync(CancellationToken ct)
    {
        var threshold = clock.GetUtcNow().AddDays(-14);
        var expired = await db.Bans.Where(b => b.ExpiresAt != null && b.ExpiresAt < threshold).ToListAsync(ct);
        db.Bans.RemoveRange(expired);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Path reports are live telemetry: once stale they are no longer listed, so they go.</summary>
    public async Task PrunePathReportsAsync(CancellationToken ct)
    {
        var staleSince = clock.GetUtcNow() - Paths.PathReports.StaleAfter;
        await db.PeerPaths.Where(p => p.ReportedAt < staleSince).ExecuteDeleteAsync(ct);
    }
}
