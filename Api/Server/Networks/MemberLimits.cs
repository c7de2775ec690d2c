namespace HamachiCloud.Api.Networks;

/// <summary>
/// The member limit of a network: its own plan's, or the owner's account-wide plan's when that
/// is larger (Multi-network gives 256 on every network of the account).
/// </summary>
internal static class MemberLimits
{
    public static async Task<(int Limit, string PlanName)> ForAsync(HamachiDbContext db, Network network, CancellationToken ct)
    {
        var plan = network.Plan ?? await db.Plans.SingleAsync(p => p.Id == network.PlanId, ct);
        var accountWide = await db.Subscriptions
            .Where(s => s.UserId == network.OwnerId && s.Status == SubscriptionStatus.Active && s.Plan!.AccountWide)
            .Select(s => s.Plan)
            .OrderByDescending(p => p!.MaxMembersPerNetwork)
            .FirstOrDefaultAsync(ct);
        return accountWide is not null && accountWide.MaxMembersPerNetwork > plan.MaxMembersPerNetwork
            ? (accountWide.MaxMembersPerNetwork, accountWide.Name)
            : (plan.MaxMembersPerNetwork, plan.Name);
    }

    /// <summary>Members that hold a seat: active ones and those waiting for approval.</summary>
    public static Task<int> SeatsTakenAsync(HamachiDbContext db, Guid networkId, CancellationToken ct) =>
        db.Memberships.CountAsync(m => m.NetworkId == networkId && (m.Status == MemberStatus.Active || m.Status == MemberStatus.Pending), ct);
}
