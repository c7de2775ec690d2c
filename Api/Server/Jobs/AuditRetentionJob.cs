using HamachiCloud.Api.Audit;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Jobs;

/// <summary>Recurring (daily): deletes audit events older than <c>Audit:RetentionDays</c>.</summary>
internal sealed class AuditRetentionJob(HamachiDbContext db, IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditRetentionJob> log)
{
    public const string JobId = "audit-retention";

    /// <summary>Returns how many events were deleted.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        var before = clock.GetUtcNow().AddDays(-options.Value.RetentionDays);
        var deleted = await db.AuditEvents.Where(e => e.At < before).ExecuteDeleteAsync(ct);
        log.LogInformation("audit retention: deleted {Count} events older than {Before:u}", deleted, before);
        return deleted;
    }
}
