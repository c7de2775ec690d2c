using HamachiCloud.Protocol.Relay;

namespace HamachiCloud.Api.Billing;

/// <summary>
/// Rolls the relays' usage reports up into <see cref="RelayUsageDay"/> rows (bytes per network per UTC day), the
/// figures of the billing page's "relay traffic this month". A Hangfire job enqueued by the relay heartbeat, so the
/// heartbeat answers at once and a failed write is retried. A sender/receiver pair is counted against one network
/// the two devices' accounts share: the one whose plan gives the relay the most bandwidth (the cap the relay token
/// carried), then the oldest. Pairs that share no network (a device removed since) are dropped. Scoped.
/// </summary>
internal sealed class RelayUsageRollup(HamachiDbContext db, TimeProvider clock, ILogger<RelayUsageRollup> log)
{
    public async Task AddAsync(IReadOnlyList<RelayUsageReport> reports, DateOnly day, CancellationToken ct)
    {
        // Relays speak base64 node keys; devices store them as lowercase hex.
        var keys = reports.SelectMany(r => new[] { r.From, r.To }).Distinct().ToDictionary(k => k, k => Convert.ToHexStringLower(Convert.FromBase64String(k)));
        var hexKeys = keys.Values.ToList();
        var ownersByHex = await db.Devices.AsNoTracking().Where(d => hexKeys.Contains(d.NodeKey))
            .Select(d => new { d.NodeKey, d.UserId }).ToDictionaryAsync(d => d.NodeKey, d => d.UserId, ct);
        var owners = keys.Where(k => ownersByHex.ContainsKey(k.Value)).ToDictionary(k => k.Key, k => ownersByHex[k.Value]);
        var users = owners.Values.Distinct().ToList();
        var memberships = await db.Memberships.AsNoTracking()
            .Where(m => users.Contains(m.UserId) && m.Status == MemberStatus.Active)
            .Select(m => new { m.UserId, m.NetworkId, m.Network!.OwnerId, m.Network.CreatedAt, m.Network.Plan!.RelayKbps })
            .ToListAsync(ct);
        var networksOf = memberships.GroupBy(m => m.UserId).ToDictionary(g => g.Key, g => g.ToList());

        var totals = new Dictionary<(Guid Network, Guid Owner), long>();
        var unplaced = 0L;
        foreach (var report in reports)
        {
            if (!owners.TryGetValue(report.From, out var a) || !owners.TryGetValue(report.To, out var b)
                || !networksOf.TryGetValue(a, out var ofA) || !networksOf.TryGetValue(b, out var ofB))
            {
                unplaced += report.Bytes;
                continue;
            }

            var shared = ofA.Where(x => ofB.Any(y => y.NetworkId == x.NetworkId))
                .OrderByDescending(x => x.RelayKbps == 0 ? int.MaxValue : x.RelayKbps)
                .ThenBy(x => x.CreatedAt)
                .FirstOrDefault();
            if (shared is null)
            {
                unplaced += report.Bytes;
                continue;
            }

            var key = (shared.NetworkId, shared.OwnerId);
            totals[key] = totals.GetValueOrDefault(key) + report.Bytes;
        }

        if (unplaced > 0)
        {
            log.LogInformation("relay usage: {Bytes} bytes between devices that share no network now, not counted", unplaced);
        }

        var now = clock.GetUtcNow();
        foreach (var ((network, owner), bytes) in totals)
        {
            await AddAsync(network, owner, day, bytes, now, ct);
        }
    }

    /// <summary>Adds to the day's row, creating it when missing; a concurrent creation (another node's job) is retried as an update.</summary>
    private async Task AddAsync(Guid network, Guid owner, DateOnly day, long bytes, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var updated = await db.RelayUsageDays.Where(u => u.NetworkId == network && u.Day == day)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Bytes, u => u.Bytes + bytes).SetProperty(u => u.UpdatedAt, now), ct);
            if (updated > 0)
            {
                return;
            }

            var row = new RelayUsageDay { NetworkId = network, OwnerUserId = owner, Day = day, Bytes = bytes, UpdatedAt = now };
            db.RelayUsageDays.Add(row);
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                db.Entry(row).State = EntityState.Detached;
            }
        }
    }

    /// <summary>Bytes relayed this UTC month for each of <paramref name="networkIds"/> (absent: none).</summary>
    public static async Task<Dictionary<Guid, long>> ThisMonthAsync(HamachiDbContext db, IReadOnlyCollection<Guid> networkIds, DateTimeOffset now, CancellationToken ct)
    {
        var first = new DateOnly(now.UtcDateTime.Year, now.UtcDateTime.Month, 1);
        var ids = networkIds.ToList();
        return await db.RelayUsageDays.AsNoTracking().Where(u => ids.Contains(u.NetworkId) && u.Day >= first)
            .GroupBy(u => u.NetworkId)
            .Select(g => new { g.Key, Bytes = g.Sum(u => u.Bytes) })
            .ToDictionaryAsync(x => x.Key, x => x.Bytes, ct);
    }
}
