namespace HamachiCloud.Relay.Core;

/// <summary>
/// A token bucket in bits: refills at <see cref="RateBitsPerSecond"/>, holds at most one second of rate (the burst).
/// Rate 0 means unlimited. Not thread-safe; owned by <see cref="RelayCore"/> under its lock.
/// </summary>
internal sealed class TokenBucket(long rateBitsPerSecond, DateTimeOffset now)
{
    private double _bits = rateBitsPerSecond;
    private DateTimeOffset _last = now;

    public long RateBitsPerSecond { get; private set; } = rateBitsPerSecond;

    /// <summary>A new token for the same binding: keep the level, change the rate.</summary>
    public void SetRate(long rateBitsPerSecond)
    {
        RateBitsPerSecond = rateBitsPerSecond;
        _bits = Math.Min(_bits, rateBitsPerSecond);
    }

    /// <summary>Takes <paramref name="bytes"/>×8 bits if available; false (and takes nothing) otherwise.</summary>
    public bool TryTake(int bytes, DateTimeOffset now)
    {
        if (RateBitsPerSecond == 0)
        {
            return true;
        }

        var elapsed = (now - _last).TotalSeconds;
        if (elapsed > 0)
        {
            _bits = Math.Min(RateBitsPerSecond, _bits + (elapsed * RateBitsPerSecond));
            _last = now;
        }

        var need = bytes * 8.0;
        if (_bits < need)
        {
            return false;
        }

        _bits -= need;
        return true;
    }
}
