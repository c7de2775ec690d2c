using System.Threading.RateLimiting;

namespace HamachiCloud.Api.RateLimiting;

/// <summary>
/// An ASP.NET Core rate limiter for one partition whose state lives in an <see cref="IRateCounter"/> (Redis or
/// memory), so every Api node shares the budget. Holds no state of its own: the partitioned limiter may drop and
/// re-create it at will. The synchronous attempt never grants (the middleware then awaits <see cref="AcquireAsyncCore"/>,
/// which asks the counter); a refused lease carries <see cref="MetadataName.RetryAfter"/> and the limit's name as
/// <see cref="MetadataName.ReasonPhrase"/>.
/// </summary>
internal sealed class CounterRateLimiter(IRateCounter counter, string limit, string key, int permitsPerWindow, TimeSpan window) : RateLimiter
{
    private static readonly RateLimitLease NotAttempted = new Lease(false, null, null);
    private static readonly RateLimitLease Granted = new Lease(true, null, null);

    /// <summary>Always idle: nothing to keep (the state is in the counter).</summary>
    public override TimeSpan? IdleDuration => TimeSpan.FromDays(1);

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => NotAttempted;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (permitCount == 0)
        {
            return Granted;
        }

        var hit = await counter.HitAsync(limit + ":" + key, window, cancellationToken);
        return hit.Count <= permitsPerWindow ? Granted : new Lease(false, hit.EndsIn, limit);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter, string? limit) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name, MetadataName.ReasonPhrase.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter
                : metadataName == MetadataName.ReasonPhrase.Name ? limit
                : null;
            return metadata is not null;
        }
    }
}
