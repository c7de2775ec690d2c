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

    /// <summary>
    /// Throws unless one more member fits next to <paramref name="taken"/>: 402 <c>plan_required</c> naming the
    /// smallest plan with room for them, or 409 <c>network_full</c> when no plan has (the largest limit reached).
    /// </summary>
    public static async Task RequireSeatAsync(HamachiDbContext db, Network network, int taken, CancellationToken ct)
    {
        var (limit, planName) = await ForAsync(db, network, ct);
        if (taken < limit)
        {
            return;
        }

        var next = await Plans.PlanGates.SmallestForMembersAsync(db, taken + 1, ct);
        if (next is null || next.MaxMembersPerNetwork <= limit)
        {
            throw ApiProblemException.Conflict(
                ErrorCodes.NetworkFull,
                $"network {network.NetworkId} is full: the {planName} plan allows {limit} members and it has {taken}; no plan allows more");
        }

        throw Plans.PlanGates.Required(next, $"network {network.NetworkId} is full: the {planName} plan allows {limit} members, and member {taken + 1}", planName);
    }

    /// <summary>Members that hold a seat: active ones and those waiting for approval.</summary>
    public static Task<int> SeatsTakenAsync(HamachiDbContext db, Guid networkId, CancellationToken ct) =>
        db.Memberships.CountAsync(m => m.NetworkId == networkId && (m.Status == MemberStatus.Active || m.Status == MemberStatus.Pending), ct);
}
