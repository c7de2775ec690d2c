using System.Net;
using HamachiCloud.Protocol.Net;

namespace HamachiCloud.Api.Bans;

/// <summary>
/// The active bans of this node, in memory for a check per request, indexed by prefix
/// (<see cref="PrefixIndex{T}"/>: a lookup costs the same with 0 or 100,000 bans). Reloaded at once
/// when this node changes a ban and at least every <see cref="MaxAge"/> otherwise (other nodes'
/// changes). Thread-safe: the index is replaced whole.
/// </summary>
internal sealed class BanList(IServiceScopeFactory scopes, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile Snapshot _snapshot = new(new PrefixIndex<Ban>([]), DateTimeOffset.MinValue);

    public void Dispose() => _reload.Dispose();

    /// <summary>Whether <paramref name="range"/> holds <paramref name="address"/> (IPv4-mapped IPv6 read as IPv4).</summary>
    public static bool Contains(IPNetwork range, IPAddress address) => range.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    public void Invalidate() => _snapshot = _snapshot with { LoadedAt = DateTimeOffset.MinValue };

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

        return snapshot.Bans.TryFind(Address128.From(address), ban => ban.Expires is null || ban.Expires > now, out var found)
            ? (found!.Range, found.Reason)
            : null;
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

            // Every change to a ban bumps its UpdatedAt, and an expired one is skipped at lookup: the count and the
            // newest change time tell whether another node changed anything, so the periodic check is two
            // aggregates, not a reload of every ban. This node's own changes reload at once (Invalidate).
            var fingerprint = (await db.Bans.CountAsync(ct), await db.Bans.MaxAsync(b => (DateTimeOffset?)b.UpdatedAt, ct));
            if (_snapshot.LoadedAt != DateTimeOffset.MinValue && _snapshot.Fingerprint == fingerprint)
            {
                return _snapshot = _snapshot with { LoadedAt = now };
            }

            var rows = await db.Bans.AsNoTracking().Where(b => b.Kind == BanKind.Range && b.LiftedAt == null && (b.ExpiresAt == null || b.ExpiresAt > now))
                .Select(b => new { b.Cidr, b.Reason, b.ExpiresAt })
                .ToListAsync(ct);
            var bans = rows.Select(b => new Ban(IPNetwork.Parse(b.Cidr!), b.Reason, b.ExpiresAt)).ToList();
            var snapshot = new Snapshot(new PrefixIndex<Ban>(bans.Select(b => (b.Range, b))), now, fingerprint);
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _reload.Release();
        }
    }

    private sealed record Ban(IPNetwork Range, string Reason, DateTimeOffset? Expires);

    private sealed record Snapshot(PrefixIndex<Ban> Bans, DateTimeOffset LoadedAt, (int Count, DateTimeOffset? Newest) Fingerprint = default);
}
