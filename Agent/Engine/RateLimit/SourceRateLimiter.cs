namespace HamachiCloud.Agent.Engine.RateLimit;

/// <summary>
/// One <see cref="TokenBucket"/> per source address (a 128-bit key), for broadcast and multicast
/// storms. Allocates only when a new source appears; forgets all sources when more than
/// <see cref="MaxSources"/> are tracked (a spoofing flood then only resets the buckets). Not
/// thread-safe; owned by one pipeline stage.
/// </summary>
public sealed class SourceRateLimiter
{
    /// <summary>Sources tracked before the table is cleared.</summary>
    public const int MaxSources = 4096;

    private readonly int _ratePerSecond;
    private readonly Dictionary<UInt128, TokenBucket> _buckets = [];

    /// <summary>Allows <paramref name="ratePerSecond"/> packets per second per source.</summary>
    public SourceRateLimiter(int ratePerSecond) => _ratePerSecond = ratePerSecond;

    /// <summary>True when a packet from <paramref name="source"/> may pass at <paramref name="now"/>.</summary>
    public bool TryAcquire(UInt128 source, DateTimeOffset now)
    {
        if (!_buckets.TryGetValue(source, out var bucket))
        {
            if (_buckets.Count >= MaxSources)
            {
                _buckets.Clear();
            }

            bucket = new TokenBucket(_ratePerSecond, now);
            _buckets[source] = bucket;
        }

        return bucket.TryTake(now);
    }
}
