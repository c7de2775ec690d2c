using HamachiCloud.Api.ControlPlane;

namespace HamachiCloud.Api.Plans;

/// <summary>
/// The one place that turns subscriptions and grants into the plan in force: after any change of an
/// account's subscriptions (a Stripe webhook, a grant, an expiry job) call <see cref="ApplyAsync"/>
/// with the owning account. It recomputes <see cref="Network.PlanId"/> of each network the account
/// owns (the best of the network's own live subscriptions and the account's account-wide ones, Free
/// when none) and then applies the limits to the members. Nothing is ever deleted.
/// </summary>
internal sealed class PlanChanges(HamachiDbContext db, TimeProvider clock, MapChangeQueue changes)
{
    /// <summary>A subscription gives its plan now: active, past due within its grace, or cancelled before its period ends.</summary>
    public static bool IsLive(Subscription s, DateTimeOffset now) =>
        (s.EndsAt is null || s.EndsAt > now) && s.Status switch
        {
            SubscriptionStatus.Active => true,
            SubscriptionStatus.Cancelled => s.EndsAt is not null,
            SubscriptionStatus.PastDue => s.GraceEndsAt is null || s.GraceEndsAt > now,
            _ => false,
        };

    /// <summary>Recomputes the plan of every network <paramref name="ownerId"/> owns and applies member limits; saves.</summary>
    public async Task ApplyAsync(Guid ownerId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var subscriptions = await db.Subscriptions.Include(s => s.Plan)
            .Where(s => s.UserId == ownerId && s.Status != SubscriptionStatus.Ended)
            .ToListAsync(ct);
        var live = subscriptions.Where(s => IsLive(s, now)).ToList();
        var plans = await db.Plans.ToDictionaryAsync(p => p.Id, ct);
        var networks = await db.Networks.Where(n => n.OwnerId == ownerId).ToListAsync(ct);
        foreach (var network in networks)
        {
            var best = live
                .Where(s => s.NetworkId == network.Id || (s.NetworkId is null && s.Plan!.AccountWide))
                .Select(s => s.Plan!)
                .OrderByDescending(p => p.MaxMembersPerNetwork)
                .ThenByDescending(p => p.PremiumFeatures)
                .FirstOrDefault() ?? plans[Plan.FreeId];
            if (network.PlanId != best.Id)
            {
                network.PlanId = best.Id;
                network.ConcurrencyStamp = Guid.NewGuid();
                changes.NetworkChanged(network.Id);
            }
        }

        await db.SaveChangesAsync(ct);
        await ApplyMemberLimitsAsync(networks, ct);
    }

    /// <summary>Marks the members over each network's limit (<see cref="Membership.OverPlanLimit"/>) and clears the mark under it.</summary>
    private Task ApplyMemberLimitsAsync(IReadOnlyList<Network> networks, CancellationToken ct)
    {
        // Filled in by the plan-enforcement work (issue 13 item 4): owner always stays, then the
        // members the owner chose (KeepActive), then the longest-standing ones.
        _ = networks;
        _ = ct;
        return Task.CompletedTask;
    }
}
