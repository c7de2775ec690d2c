namespace HamachiCloud.Relay.Core;

/// <summary>
/// Handshake initiations (Bind and BindProof frames: each costs a signature check, and a Bind a Challenge reply) per
/// source address: a token bucket of <c>perSecond</c> refilling to <c>burst</c> per IPv4 address or IPv6 /64, whatever
/// the port or connection. Frames over the budget are dropped before any cryptography (counted as
/// <see cref="RelayDropReason.HandshakeRateLimited"/>). At most <c>maxSources</c> buckets: full ones are forgotten
/// (a full bucket is a new one), and when spoofed sources fill the table, new sources are refused until it drains
/// (fail closed). Not thread-safe; owned by <see cref="RelayCore"/> under its lock.
/// </summary>
internal sealed class HandshakeLimiter(double perSecond, double burst, int maxSources)
{
    private readonly Dictionary<(ulong High, ulong Low), (double Tokens, DateTimeOffset At)> _buckets = [];

    /// <summary>Takes one initiation from <paramref name="from"/>'s budget; false when it is spent.</summary>
    public bool TryTake(RelaySource from, DateTimeOffset now)
    {
        var key = Key(from);
        double tokens;
        if (_buckets.TryGetValue(key, out var bucket))
        {
            tokens = Math.Min(burst, bucket.Tokens + (Math.Max((now - bucket.At).TotalSeconds, 0) * perSecond));
        }
        else
        {
            if (_buckets.Count >= maxSources)
            {
                Sweep(now);
                if (_buckets.Count >= maxSources)
                {
                    return false;
                }
            }

            tokens = burst;
        }

        if (tokens < 1)
        {
            _buckets[key] = (tokens, now);
            return false;
        }

        _buckets[key] = (tokens - 1, now);
        return true;
    }

    /// <summary>Forgets the buckets that have refilled (they behave like new ones).</summary>
    public void Sweep(DateTimeOffset now)
    {
        foreach (var (key, bucket) in _buckets.ToList())
        {
            if (bucket.Tokens + ((now - bucket.At).TotalSeconds * perSecond) >= burst)
            {
                _buckets.Remove(key);
            }
        }
    }

    /// <summary>An IPv4 address (kept whole, as ::ffff:a.b.c.d) or an IPv6 address cut to its /64.</summary>
    private static (ulong, ulong) Key(RelaySource from)
    {
        var (high, low) = from.Address128;
        var mappedIPv4 = high == 0 && (low >> 32) == 0xFFFF;
        return mappedIPv4 ? (high, low) : (high, 0);
    }
}
