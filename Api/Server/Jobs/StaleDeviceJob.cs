using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Devices;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Jobs;

/// <summary>
/// Recurring (daily): removes devices offline and unseen for <c>Devices:StaleAfterDays</c> (never seen: counted from
/// enrolment) exactly as their owner's deletion would (addresses freed, the enrolling sign-in revoked, peers told),
/// each with an audit event "device.stale_removed" (no actor).
/// </summary>
internal sealed class StaleDeviceJob(
    HamachiDbContext db, DeviceService devices, AuditLog audit, IOptions<DeviceCleanupOptions> options, TimeProvider clock, ILogger<StaleDeviceJob> log)
{
    public const string JobId = "stale-device-cleanup";
    private const int Batch = 500;

    /// <summary>Returns how many devices were removed.</summary>
    public async Task<int> RemoveStaleAsync(CancellationToken ct)
    {
        var before = clock.GetUtcNow().AddDays(-options.Value.StaleAfterDays);
        var stale = await db.Devices.AsNoTracking()
            .Where(d => d.ConnectionId == null && (d.LastSeenAt ?? d.CreatedAt) < before)
            .Select(d => new { d.Id, d.UserId, d.Name, d.LastSeenAt })
            .Take(Batch)
            .ToListAsync(ct);
        foreach (var d in stale)
        {
            audit.Record(null, "device.stale_removed", "device", d.Id,
                $"{d.Name} of account {d.UserId}: last seen {(d.LastSeenAt is { } seen ? seen.ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "never")}, unseen for over {options.Value.StaleAfterDays} days");
            await devices.DeleteAsync(d.UserId, d.Id, ct);
        }

        log.LogInformation("stale devices: removed {Count} unseen since {Before:u}", stale.Count, before);
        return stale.Count;
    }
}
