using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HamachiCloud.Api.Health;

/// <summary>Healthy when the database answers and has no pending migrations.</summary>
internal sealed class DatabaseHealthCheck(HamachiDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy("cannot connect to the database");
            }

            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            var data = new Dictionary<string, object> { ["provider"] = db.Database.ProviderName ?? "", ["pendingMigrations"] = pending };
            return pending == 0
                ? HealthCheckResult.Healthy("database reachable, schema up to date", data)
                : HealthCheckResult.Degraded($"{pending} migrations pending", data: data);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"database check failed: {e.GetType().Name}: {e.Message}", e);
        }
    }
}
