using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HamachiCloud.Api.RateLimiting;

/// <summary>
/// Counts every refusal by limit name on this node: the OpenTelemetry counter <c>hamachi.rate_limit.refusals</c>
/// (meter <c>HamachiCloud.Api.RateLimits</c>, tag <c>limit</c>), a log line, and the totals in <c>GET /health</c>
/// (check <c>rate-limits</c>, one data entry per limit). Thread-safe.
/// </summary>
internal sealed class RateLimitRefusals : IHealthCheck, IDisposable
{
    public const string MeterName = "HamachiCloud.Api.RateLimits";

    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);
    private readonly Meter _meter;
    private readonly Counter<long> _refusals;
    private readonly ILogger<RateLimitRefusals> _log;

    public RateLimitRefusals(IMeterFactory meters, ILogger<RateLimitRefusals> log)
    {
        _log = log;
        _meter = meters.Create(MeterName);
        _refusals = _meter.CreateCounter<long>("hamachi.rate_limit.refusals", description: "Requests refused by a rate limit or lockout");
    }

    /// <summary>Counts one refusal of <paramref name="limit"/> for <paramref name="partition"/> (an address or account key, logged only).</summary>
    public void Count(string limit, string partition, TimeSpan retryAfter)
    {
        _totals.AddOrUpdate(limit, 1, (_, n) => n + 1);
        _refusals.Add(1, new KeyValuePair<string, object?>("limit", limit));
        _log.LogInformation("rate limit {Limit} refused {Partition}; retry after {RetryAfterSeconds} s", limit, partition, (int)Math.Ceiling(retryAfter.TotalSeconds));
    }

    /// <summary>Refusals per limit since this node started.</summary>
    public IReadOnlyDictionary<string, long> Totals => _totals.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy("refusals per limit on this node", Totals.ToDictionary(e => e.Key, e => (object)e.Value)));

    public void Dispose() => _meter.Dispose();
}
