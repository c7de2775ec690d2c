using System.Collections.Concurrent;
using System.Net;
using HamachiCloud.Protocol.Net;

namespace HamachiCloud.Api.Bans;

/// <summary>
/// The acting bans of this node, in memory for a check per request: range bans indexed by prefix
/// (<see cref="PrefixIndex{T}"/>: a lookup costs the same with 0 or 100,000 bans), account and device bans by id.
/// Reloaded at once when a ban changes anywhere (<see cref="Invalidate"/>, called by <see cref="BanBus"/> on this node
/// and, through Redis, on every other node) and checked against the database at least every <see cref="MaxAge"/>
/// (a missed message). Every refusal it reports is counted (<see cref="BanHits"/>). Thread-safe: the snapshot is
/// replaced whole.
/// </summary>
internal sealed class BanList(IServiceScopeFactory scopes, BanHits hits, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan StandingMaxAge = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly ConcurrentDictionary<Guid, (AccountStanding Standing, DateTimeOffset At)> _standings = new();
    private volatile Snapshot _snapshot = Snapshot.Empty;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose() => _reload.Dispose();

    /// <summary>Whether <paramref name="range"/> holds <paramref name="address"/> (IPv4-mapped IPv6 read as IPv4).</summary>
    public static bool Contains(IPNetwork range, IPAddress address) => range.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary>A ban changed: the next lookup reloads, and whoever waits in <see cref="WaitForChangeAsync"/> wakes.</summary>
    public void Invalidate()
    {
        _snapshot = _snapshot with { LoadedAt = DateTimeOffset.MinValue };
        _standings.Clear();
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>
    /// The ban that holds this caller where <paramref name="scope"/> says, or null: a device ban on
    /// <paramref name="deviceId"/>, an account ban on <paramref name="userId"/>, else a range ban on
    /// <paramref name="address"/> whose exemptions do not spare the account (an unknown account is never exempt).
    /// A ban found is counted as a hit unless <paramref name="count"/> is false.
    /// </summary>
    public async ValueTask<ActiveBan?> FindAsync(IPAddress? address, Guid? userId, Guid? deviceId, BanScope scope, CancellationToken ct, bool count = true)
    {
        var now = clock.GetUtcNow();
        var snapshot = await CurrentAsync(now, ct);
        var found = FindIdentity(snapshot, userId, deviceId, scope, now) ?? await FindRangeAsync(snapshot, address, userId, scope, now, ct);
        if (found is not null && count)
        {
            hits.Count(found.Id, now);
        }

        return found;
    }

    /// <summary>The first range ban acting on <paramref name="address"/> in <paramref name="scope"/>, exemptions not applied (not counted).</summary>
    public async ValueTask<ActiveBan?> FindRangeAsync(IPAddress? address, BanScope scope, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return RangeOf(await CurrentAsync(now, ct), address, scope, now);
    }

    /// <summary>Whether any account or device ban acts in <paramref name="scope"/> (else a request needs no account lookup).</summary>
    public async ValueTask<bool> HasIdentityBansAsync(BanScope scope, CancellationToken ct)
    {
        var snapshot = await CurrentAsync(clock.GetUtcNow(), ct);
        return (snapshot.IdentityScopes & scope) != 0;
    }

    /// <summary>The acting bans now, and the version that names this set (equal on every node reading the same rows).</summary>
    public async ValueTask<(IReadOnlyList<ActiveBan> Bans, string Version)> AllAsync(CancellationToken ct)
    {
        var snapshot = await CurrentAsync(clock.GetUtcNow(), ct);
        return (snapshot.All, snapshot.Version);
    }

    /// <summary>Waits until the ban set's version differs from <paramref name="version"/> or <paramref name="max"/> passed.</summary>
    public async Task WaitForChangeAsync(string? version, TimeSpan max, CancellationToken ct)
    {
        var changed = Volatile.Read(ref _changed).Task;
        if ((await AllAsync(ct)).Version != version)
        {
            return;
        }

        try
        {
            await changed.WaitAsync(max, clock, ct);
        }
        catch (TimeoutException)
        {
            // Nothing changed: the caller answers with the same set.
        }
    }

    /// <summary>Whether <paramref name="userId"/> is spared by <paramref name="ban"/>'s exemptions (range bans only).</summary>
    public async ValueTask<bool> ExemptsAsync(ActiveBan ban, Guid userId, CancellationToken ct)
    {
        if (!ban.HasExemptions)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        return (await StandingAsync(userId, now, ct)) is { } standing && ban.Exempts(standing, now);
    }

    private static ActiveBan? FindIdentity(Snapshot snapshot, Guid? userId, Guid? deviceId, BanScope scope, DateTimeOffset now)
    {
        if (deviceId is { } d && snapshot.Devices.TryGetValue(d, out var byDevice))
        {
            foreach (var ban in byDevice)
            {
                if (ban.ActsAt(scope, now))
                {
                    return ban;
                }
            }
        }

        if (userId is { } u && snapshot.Accounts.TryGetValue(u, out var byAccount))
        {
            foreach (var ban in byAccount)
            {
                if (ban.ActsAt(scope, now))
                {
                    return ban;
                }
            }
        }

        return null;
    }

    private static ActiveBan? RangeOf(Snapshot snapshot, IPAddress? address, BanScope scope, DateTimeOffset now)
    {
        if (address is null || snapshot.Ranges.Count == 0)
        {
            return null;
        }

        return snapshot.Ranges.TryFind(Address128.From(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address), b => b.ActsAt(scope, now), out var found)
            ? found
            : null;
    }

    private async ValueTask<ActiveBan?> FindRangeAsync(Snapshot snapshot, IPAddress? address, Guid? userId, BanScope scope, DateTimeOffset now, CancellationToken ct)
    {
        var first = RangeOf(snapshot, address, scope, now);
        if (first is null || userId is null || !first.HasExemptions)
        {
            return first;
        }

        // Exemptions are per ban: the account must be spared by every range ban holding the address.
        var standing = await StandingAsync(userId.Value, now, ct);
        foreach (var ban in snapshot.Ranges.Matches(address!.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address))
        {
            if (ban.ActsAt(scope, now) && (standing is null || !ban.Exempts(standing, now)))
            {
                return ban;
            }
        }

        return null;
    }

    private async ValueTask<AccountStanding?> StandingAsync(Guid userId, DateTimeOffset now, CancellationToken ct)
    {
        if (_standings.TryGetValue(userId, out var cached) && now - cached.At < StandingMaxAge)
        {
            return cached.Standing;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.CreatedAt }).FirstOrDefaultAsync(ct);
        if (user is null)
        {
            return null;
        }

        var subscriptions = await db.Subscriptions.AsNoTracking()
            .Where(s => s.UserId == userId && s.Status != SubscriptionStatus.Ended && s.PlanId != Plan.FreeId)
            .Select(s => s.EndsAt)
            .ToListAsync(ct);
        var paid = subscriptions.Any(end => end is null || end > now);
        var everBanned = await db.Bans.AnyAsync(b => b.Kind == BanKind.Account && b.UserId == userId, ct);
        var standing = new AccountStanding(paid, user.CreatedAt, everBanned);
        _standings[userId] = (standing, now);
        return standing;
    }

    private async ValueTask<Snapshot> CurrentAsync(DateTimeOffset now, CancellationToken ct)
    {
        var snapshot = _snapshot;
        return now - snapshot.LoadedAt > MaxAge ? await ReloadAsync(now, ct) : snapshot;
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

            // Every change to a ban bumps its UpdatedAt (hit counts do not), and an expired one is skipped at lookup:
            // the count and the newest change time tell whether another node changed anything, so the periodic check
            // is two aggregates, not a reload of every ban. A change pushed by the bus reloads at once (Invalidate).
            var fingerprint = (await db.Bans.CountAsync(ct), await db.Bans.MaxAsync(b => (DateTimeOffset?)b.UpdatedAt, ct));
            if (_snapshot.LoadedAt != DateTimeOffset.MinValue && _snapshot.Fingerprint == fingerprint)
            {
                return _snapshot = _snapshot with { LoadedAt = now };
            }

            var rows = await db.Bans.AsNoTracking().Where(b => b.LiftedAt == null && (b.ExpiresAt == null || b.ExpiresAt > now))
                .Select(b => new { b.Id, b.Kind, b.Cidr, b.UserId, b.DeviceId, b.Reason, b.Scope, b.ExemptPaidAccounts, b.ExemptAccountsOlderThanDays, b.ExpiresAt })
                .ToListAsync(ct);
            var all = new List<ActiveBan>(rows.Count);
            foreach (var b in rows)
            {
                IPNetwork? range = b.Kind == BanKind.Range && IPNetwork.TryParse(b.Cidr, out var parsed) ? parsed : null;
                if (b.Kind == BanKind.Range && range is null)
                {
                    continue; // not a CIDR: cannot act (the API never stores one)
                }

                all.Add(new ActiveBan(b.Id, b.Kind, range, b.UserId, b.DeviceId, b.Reason, b.Scope, b.ExemptPaidAccounts, b.ExemptAccountsOlderThanDays, b.ExpiresAt));
            }

            var snapshot = new Snapshot(
                new PrefixIndex<ActiveBan>(all.Where(b => b.Range is not null).Select(b => (b.Range!.Value, b))),
                all.Where(b => b.Kind == BanKind.Account && b.UserId is not null).GroupBy(b => b.UserId!.Value).ToDictionary(g => g.Key, g => g.ToArray()),
                all.Where(b => b.Kind == BanKind.Device && b.DeviceId is not null).GroupBy(b => b.DeviceId!.Value).ToDictionary(g => g.Key, g => g.ToArray()),
                all,
                now,
                fingerprint);
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _reload.Release();
        }
    }

    private sealed record Snapshot(
        PrefixIndex<ActiveBan> Ranges,
        Dictionary<Guid, ActiveBan[]> Accounts,
        Dictionary<Guid, ActiveBan[]> Devices,
        IReadOnlyList<ActiveBan> All,
        DateTimeOffset LoadedAt,
        (int Count, DateTimeOffset? Newest) Fingerprint = default)
    {
        /// <summary>The scopes any account or device ban acts in.</summary>
        public BanScope IdentityScopes { get; } = All.Where(b => b.Kind != BanKind.Range).Aggregate(BanScope.None, (s, b) => s | b.Scope);

        public static readonly Snapshot Empty = new(new PrefixIndex<ActiveBan>([]), [], [], [], DateTimeOffset.MinValue);

        /// <summary>Names the set of rows this snapshot was built from (the same on every node).</summary>
        public string Version => $"{Fingerprint.Count}-{Fingerprint.Newest?.UtcTicks ?? 0}";
    }
}
