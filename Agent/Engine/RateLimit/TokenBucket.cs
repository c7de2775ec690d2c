namespace HamachiCloud.Agent.Engine.RateLimit;

/// <summary>
/// A token bucket over explicit time: <c>rate</c> tokens per second, holding at most one second's worth
/// (the burst). Pure (time is a parameter); not thread-safe — owned by one pipeline stage.
/// </summary>
public sealed class TokenBucket
{
    private readonly double _rate;
    private double _tokens;
    private DateTimeOffset _last;

    /// <summary>A full bucket of <paramref name="ratePerSecond"/> tokens at <paramref name="now"/>.</summary>
    public TokenBucket(int ratePerSecond, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ratePerSecond, 1);
        _rate = ratePerSecond;
        _tokens = ratePerSecond;
        _last = now;
    }

    /// <summary>Takes one token if there is one; false means drop (rate exceeded).</summary>
    public bool TryTake(DateTimeOffset now)
    {
        if (now > _last)
        {
            _tokens = Math.Min(_rate, _tokens + ((now - _last).TotalSeconds * _rate));
            _last = now;
        }

        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}
