using HamachiCloud.Api.Contracts.Networks;

namespace HamachiCloud.Api.Networks;

/// <summary>
/// Reads <see cref="NetworkDto"/>s for a caller in three queries whatever their number: the
/// networks with their plan, member counts and the caller's membership; the owners' account-wide
/// plans (<see cref="MemberLimits"/>); the online counts (active members with a device connected and
/// not gone offline in the network).
/// </summary>
internal static class NetworkListing
{
    public static async Task<List<NetworkDto>> LoadAsync(HamachiDbContext db, Guid userId, IQueryable<Network> networks, CancellationToken ct)
    {
        var rows = await networks.AsNoTracking()
            .Select(n => new
            {
                Network = n,
                n.Plan,
                Active = n.Memberships.Count(m => m.Status == MemberStatus.Active),
                Pending = n.Memberships.Count(m => m.Status == MemberStatus.Pending),
                OverLimit = n.Memberships.Count(m => m.Status == MemberStatus.Active && m.OverPlanLimit),
                Me = n.Memberships.Where(m => m.UserId == userId).Select(m => new { m.Role, m.Status }).FirstOrDefault(),
            })
            .ToListAsync(ct);
        if (rows.Count == 0)
        {
            return [];
        }

        var owners = rows.Select(r => r.Network.OwnerId).Distinct().ToList();
        var accountWide = (await db.Subscriptions.AsNoTracking()
                .Where(s => owners.Contains(s.UserId) && s.Status == SubscriptionStatus.Active && s.Plan!.AccountWide)
                .Select(s => new { s.UserId, s.Plan!.Name, s.Plan.MaxMembersPerNetwork })
                .ToListAsync(ct))
            .GroupBy(s => s.UserId)
            .ToDictionary(g => g.Key, g => g.MaxBy(s => s.MaxMembersPerNetwork)!);
        var online = await OnlineCountsAsync(db, rows.Select(r => r.Network.Id).ToList(), ct);

        return rows.Select(r =>
        {
            var (limit, plan) = accountWide.TryGetValue(r.Network.OwnerId, out var wide) && wide.MaxMembersPerNetwork > r.Plan!.MaxMembersPerNetwork
                ? (wide.MaxMembersPerNetwork, wide.Name)
                : (r.Plan!.MaxMembersPerNetwork, r.Plan.Name);
            var manager = r.Me is { Status: MemberStatus.Active, Role: MemberRole.Owner or MemberRole.Admin };
            var n = r.Network;
            return new NetworkDto(n.Id, n.NetworkId, n.Name, n.Type, n.JoinPolicy, n.PasswordHash is not null, n.IsLocked, n.OwnerId,
                plan, limit, r.Active, r.Me?.Role, r.Me?.Status, n.CreatedAt,
                online.GetValueOrDefault(n.Id), manager ? r.Pending : null, n.AllowPublicRoutes, r.Plan!.PremiumFeatures, r.OverLimit);
        }).ToList();
    }

    /// <summary>Per network: active members with at least one device online in it.</summary>
    public static async Task<Dictionary<Guid, int>> OnlineCountsAsync(HamachiDbContext db, List<Guid> networkIds, CancellationToken ct) =>
        await db.Memberships.AsNoTracking()
            .Where(m => networkIds.Contains(m.NetworkId) && m.Status == MemberStatus.Active)
            .Where(m => db.Devices.Any(d => d.UserId == m.UserId && d.ConnectionId != null
                && !db.DeviceNetworkStates.Any(s => s.DeviceId == d.Id && s.NetworkId == m.NetworkId && !s.Online)))
            .GroupBy(m => m.NetworkId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);
}
