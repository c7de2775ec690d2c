namespace HamachiCloud.Api.RateLimiting;

/// <summary>
/// The in-process twin of <see cref="RedisRateCounter"/>: one Api node (the embedded default). Thread-safe; at most
/// <see cref="MaxKeys"/> open windows (expired ones are dropped first, then the ones ending soonest).
/// </summary>
public sealed class MemoryRateCounter(TimeProvider clock) : IRateCounter
{
    public const int MaxKeys = 200_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Count, DateTimeOffset Ends)> _windows = new(StringComparer.Ordinal);

    public ValueTask<RateWindow> HitAsync(string key, TimeSpan window, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            var (count, ends) = _windows.TryGetValue(key, out var open) && open.Ends > now ? open : (0, now + window);
            _windows[key] = (count + 1, ends);
            PruneIfFull(now);
            return ValueTask.FromResult(new RateWindow(count + 1, ends - now));
        }
    }

    public ValueTask<RateWindow> PeekAsync(string key, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            return ValueTask.FromResult(_windows.TryGetValue(key, out var open) && open.Ends > now
                ? new RateWindow(open.Count, open.Ends - now)
                : default);
        }
    }

    public ValueTask ResetAsync(string key, CancellationToken ct)
    {
        lock (_gate)
        {
            _windows.Remove(key);
        }

        return ValueTask.CompletedTask;
    }

    private void PruneIfFull(DateTimeOffset now)
    {
        if (_windows.Count <= MaxKeys)
        {
            return;
        }

        foreach (var (key, open) in _windows.ToList())
        {
            if (open.Ends <= now)
            {
                _windows.Remove(key);
            }
        }

        var excess = _windows.Count - (MaxKeys - (MaxKeys / 10));
        foreach (var (key, _) in _windows.OrderBy(w => w.Value.Ends).Take(Math.Max(excess, 0)).ToList())
        {
            _windows.Remove(key);
        }
    }
}
