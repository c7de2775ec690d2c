using Hangfire;

namespace HamachiCloud.Api.Jobs;

/// <summary>
/// Every recurring job of the Api, registered at start under a stable id (what the dashboard at <c>/jobs</c> lists).
/// Storage is shared by all nodes (PostgreSQL), so registering again on each node only updates the schedule.
/// </summary>
internal static class RecurringJobs
{
    public static void Register(IRecurringJobManager jobs)
    {
        jobs.RemoveIfExists(MaintenanceJobs.RetiredPruneJobId);
        jobs.AddOrUpdate<MaintenanceJobs>(MaintenanceJobs.TokenPruningJobId, j => j.PruneTokensAsync(CancellationToken.None), Cron.Hourly());
        jobs.AddOrUpdate<MaintenanceJobs>(MaintenanceJobs.BanExpiryJobId, j => j.ExpireBansAsync(CancellationToken.None), Cron.MinuteInterval(5));
        jobs.AddOrUpdate<MaintenanceJobs>(MaintenanceJobs.PathReportPruningJobId, j => j.PrunePathReportsAsync(CancellationToken.None), Cron.Hourly());
        jobs.AddOrUpdate<StaleDeviceJob>(StaleDeviceJob.JobId, j => j.RemoveStaleAsync(CancellationToken.None), Cron.Daily(3));
        jobs.AddOrUpdate<AuditRetentionJob>(AuditRetentionJob.JobId, j => j.PruneAsync(CancellationToken.None), Cron.Daily(4));
        jobs.AddOrUpdate<BillingJobs>(BillingJobs.ExpireJobId, j => j.ExpireAsync(CancellationToken.None), Cron.Hourly());
        jobs.AddOrUpdate<BillingJobs>(BillingJobs.RemindJobId, j => j.SendRenewalRemindersAsync(CancellationToken.None), Cron.Daily());
    }
}
