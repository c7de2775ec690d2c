using System.Collections.Concurrent;

namespace HamachiCloud.Api.Bans;

/// <summary>
/// Refusals per ban counted in memory (a request refused must not wait for a database write) until
/// <see cref="BanHitFlusher"/> adds them to the rows. Relays' counts arrive with their heartbeats and join here.
/// Thread-safe.
/// </summary>
internal sealed class BanHits
{
    private ConcurrentDictionary<Guid, Pending> _pending = new();

    public void Count(Guid banId, DateTimeOffset now, long hits = 1)
    {
        if (banId == Guid.Empty || hits <= 0)
        {
            return;
        }

        var pending = _pending.GetOrAdd(banId, _ => new Pending());
        Interlocked.Add(ref pending.Hits, hits);
        lock (pending)
        {
            if (now > pending.Last)
            {
                pending.Last = now;
            }
        }
    }

    /// <summary>Takes every count gathered so far (the next ones start from zero).</summary>
    public IReadOnlyDictionary<Guid, (long Hits, DateTimeOffset Last)> Drain()
    {
        var taken = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<Guid, Pending>());
        return taken.Where(p => Interlocked.Read(ref p.Value.Hits) > 0)
            .ToDictionary(p => p.Key, p => (Interlocked.Read(ref p.Value.Hits), p.Value.Last));
    }

    private sealed class Pending
    {
        public long Hits;
        public DateTimeOffset Last;
    }
}
