using OpenIddict.Abstractions;

namespace HamachiCloud.Api.Jobs;

/// <summary>Recurring housekeeping run by Hangfire: expired tokens, authorizations and bans; stale path reports; expired device-code requests.</summary>
public sealed class MaintenanceJobs(
    IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, HamachiDbContext db, TimeProvider clock)
{
    public const string PruneJobId = "prune-expired";

    public async Task PruneExpiredAsync(CancellationToken ct)
    {
        var threshold = clock.GetUtcNow().AddDays(-14);
        await tokens.PruneAsync(threshold, ct);
        await authorizations.PruneAsync(threshold, ct);
        var expired = await db.Bans.Where(b => b.ExpiresAt != null && b.ExpiresAt < threshold).ToListAsync(ct);
        db.Bans.RemoveRange(expired);
        await db.SaveChangesAsync(ct);

        // Path reports are live telemetry: once stale they are no longer listed, so they go.
        var staleSince = clock.GetUtcNow() - Paths.PathReports.StaleAfter;
        await db.PeerPaths.Where(p => p.ReportedAt < staleSince).ExecuteDeleteAsync(ct);

        // Device-flow requests are only shown while their code can still be approved.
        var now = clock.GetUtcNow();
        await db.DeviceCodeRequests.Where(r => r.ExpiresAt < now).ExecuteDeleteAsync(ct);
    }
}
