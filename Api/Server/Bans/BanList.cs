using System.Net;

namespace HamachiCloud.Api.Bans;

/// <summary>
/// The active bans of this node, in memory for a check per request. Reloaded at once when this
/// node changes a ban and at least every <see cref="MaxAge"/> otherwise (other nodes' changes).
/// Thread-safe: the list is replaced whole.
/// </summary>
internal sealed class BanList(IServiceScopeFactory scopes, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile Snapshot _snapshot = new([], DateTimeOffset.MinValue);

    public void Dispose() => _reload.Dispose();

    /// <summary>Whether <paramref name="range"/> holds <paramref name="address"/> (IPv4-mapped IPv6 read as IPv4).</summary>
    public static bool Contains(IPNetwork range, IPAddress address) => range.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    public void Invalidate() => _snapshot = new Snapshot(_snapshot.Ranges, DateTimeOffset.MinValue);

    /// <summary>The ban that covers <paramref name="address"/>, or null.</summary>
    public async ValueTask<(IPNetwork Range, string Reason)?> FindAsync(IPAddress? address, CancellationToken ct)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var now = clock.GetUtcNow();
        var snapshot = _snapshot;
        if (now - snapshot.LoadedAt > MaxAge)
        {
            snapshot = await ReloadAsync(now, ct);
        }

        foreach (var (range, reason, expires) in snapshot.Ranges)
        {
            if ((expires is null || expires > now) && range.Contains(address))
            {
                return (range, reason);
            }
        }

        return null;
    }

    private async Task<Snapshot> ReloadAsync(DateTimeOffset now, CancellationToken ct)
    {
        await _reload.WaitAsync(ct);
        try
        {
            if (now - _snapshot.LoadedAt <= MaxAge)
            {
                return _snapshot;
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
            var rows = await db.IpRangeBans.Where(b => b.ExpiresAt == null || b.ExpiresAt > now).ToListAsync(ct);
            var snapshot = new Snapshot(rows.Select(b => (IPNetwork.Parse(b.Cidr), b.Reason, b.ExpiresAt)).ToArray(), now);
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _reload.Release();
        }
    }

    private sealed record Snapshot((IPNetwork Range, string Reason, DateTimeOffset? Expires)[] Ranges, DateTimeOffset LoadedAt);
}
