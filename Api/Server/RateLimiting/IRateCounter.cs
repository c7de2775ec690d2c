namespace HamachiCloud.Api.RateLimiting;

/// <summary>
/// Fixed-window counters by key, shared by every Api node when Redis is configured
/// (<see cref="RedisRateCounter"/>), in this process otherwise (<see cref="MemoryRateCounter"/>, the embedded default).
/// A window starts with its first hit and lasts the window given to that hit; the count then starts over.
/// Errors (Redis unreachable) are thrown, never swallowed: a limit that cannot be checked refuses (fails closed).
/// </summary>
public interface IRateCounter
{
    /// <summary>Adds one to <paramref name="key"/>'s window (starting one of <paramref name="window"/> if none is open).</summary>
    ValueTask<RateWindow> HitAsync(string key, TimeSpan window, CancellationToken ct);

    /// <summary>The open window of <paramref name="key"/> without counting (count 0 when none is open).</summary>
    ValueTask<RateWindow> PeekAsync(string key, CancellationToken ct);

    /// <summary>Closes <paramref name="key"/>'s window (e.g. failures forgotten after a success).</summary>
    ValueTask ResetAsync(string key, CancellationToken ct);
}

/// <summary>A window's count and the time until it ends (zero when no window is open).</summary>
public readonly record struct RateWindow(long Count, TimeSpan EndsIn);
