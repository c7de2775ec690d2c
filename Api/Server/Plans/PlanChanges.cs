using HamachiCloud.Api.ControlPlane;

namespace HamachiCloud.Api.Plans;

/// <summary>
/// The one place that turns subscriptions and grants into the plan in force: after any change of an
/// account's subscriptions (a Stripe webhook, a grant, an expiry job) call <see cref="ApplyAsync"/>
/// with the owning account. It recomputes <see cref="Network.PlanId"/> of each network the account
/// owns (the best of the network's own live subscriptions and the account's account-wide ones, Free
/// when none) and then applies the limits to the members. Nothing is ever deleted.
/// </summary>
internal sealed class PlanChanges(
    HamachiDbContext db, TimeProvider clock, MapChangeQueue changes,
    Microsoft.AspNetCore.SignalR.IHubContext<AgentHub, Protocol.Control.IAgentClient> agents)
{
    /// <summary>
    /// How long an auto-renewing Stripe subscription stays in force past its period end while Stripe's renewal
    /// webhook is on its way (Stripe renews at the period end; its events can arrive later or be retried for hours).
    /// </summary>
    public static readonly TimeSpan RenewalWait = TimeSpan.FromDays(2);

    /// <summary>When the subscription stops giving its plan: its period end, plus <see cref="RenewalWait"/> for an active Stripe subscription that renews.</summary>
    public static DateTimeOffset? EffectiveEnd(Subscription s) =>
        s.EndsAt is { } end && s.Source == SubscriptionSource.Stripe && s.Status == SubscriptionStatus.Active && !s.CancelAtPeriodEnd
            ? end + RenewalWait
            : s.EndsAt;

    /// <summary>A subscription gives its plan now: active, past due within its grace, or cancelled before its period ends.</summary>
    public static bool IsLive(Subscription s, DateTimeOffset now) =>
        (EffectiveEnd(s) is not { } end || end > now) && s.Status switch
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
        var replanned = new List<Guid>();
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
                replanned.Add(network.Id);
            }
        }

        await db.SaveChangesAsync(ct);

        // The relay bandwidth a token carries comes from the plan: the members' agents fetch new tokens now (on every
        // node, through the backplane) instead of keeping the old cap until their tokens expire.
        foreach (var id in replanned)
        {
            await agents.Clients.Group(AgentGroups.Network(id)).RelayTokensChanged();
        }

        await ApplyMemberLimitsAsync(networks, ct);
    }

    /// <summary>
    /// The plan a new network of <paramref name="ownerId"/> starts on: the best live account-wide plan of the
    /// account (Multi-network), else Free.
    /// </summary>
    public static async Task<Plan> AccountPlanAsync(HamachiDbContext db, Guid ownerId, DateTimeOffset now, CancellationToken ct)
    {
        var accountWide = await db.Subscriptions.AsNoTracking().Include(s => s.Plan)
            .Where(s => s.UserId == ownerId && s.NetworkId == null && s.Status != SubscriptionStatus.Ended)
            .ToListAsync(ct);
        return accountWide.Where(s => s.Plan!.AccountWide && IsLive(s, now)).Select(s => s.Plan!)
                   .OrderByDescending(p => p.MaxMembersPerNetwork).ThenByDescending(p => p.PremiumFeatures).FirstOrDefault()
               ?? await db.Plans.SingleAsync(p => p.Id == Plan.FreeId, ct);
    }

    /// <summary>
    /// Which active members of a network stay active under <paramref name="limit"/>: the owner always, then the
    /// members the owner chose (<see cref="Membership.KeepActive"/>), then the longest-standing ones
    /// (<see cref="Membership.CreatedAt"/>, ties by user id). Pure; the rest are over the plan limit.
    /// </summary>
    public static HashSet<Guid> Staying(IEnumerable<Membership> active, int limit) =>
        active.OrderByDescending(m => m.Role == MemberRole.Owner)
            .ThenByDescending(m => m.KeepActive)
            .ThenBy(m => m.CreatedAt)
            .ThenBy(m => m.UserId)
            .Take(Math.Max(limit, 1))
            .Select(m => m.UserId)
            .ToHashSet();

    /// <summary>Re-marks the members of the given networks (after the owner's choice); saves and records the changes.</summary>
    public async Task ApplyMemberLimitsAsync(IReadOnlyList<Guid> networkIds, CancellationToken ct)
    {
        var ids = networkIds.ToList();
        var networks = await db.Networks.Where(n => ids.Contains(n.Id)).ToListAsync(ct);
        await ApplyMemberLimitsAsync(networks, ct);
    }

    /// <summary>
    /// Marks the members over each network's limit (<see cref="Membership.OverPlanLimit"/>) and clears the mark under
    /// it, so an upgrade restores exactly the members a downgrade set aside. Each network with a change is recorded in
    /// the <see cref="MapChangeQueue"/>: the set-aside members' tunnels are torn down (and rebuilt) at the next tick, on
    /// every Api node.
    /// </summary>
    private async Task ApplyMemberLimitsAsync(List<Network> networks, CancellationToken ct)
    {
        if (networks.Count == 0)
        {
            return;
        }

        var ids = networks.Select(n => n.Id).ToList();
        var plans = await db.Plans.ToDictionaryAsync(p => p.Id, ct);
        var members = (await db.Memberships.Where(m => ids.Contains(m.NetworkId) && m.Status == MemberStatus.Active).ToListAsync(ct))
            .ToLookup(m => m.NetworkId);
        var now = clock.GetUtcNow();
        var touched = new List<(Guid Network, Guid User)>();
        foreach (var network in networks)
        {
            var active = members[network.Id].ToList();
            var staying = Staying(active, plans[network.PlanId].MaxMembersPerNetwork);
            foreach (var member in active)
            {
                var over = !staying.Contains(member.UserId);
                if (member.OverPlanLimit != over)
                {
                    member.OverPlanLimit = over;
                    member.UpdatedAt = now;
                    touched.Add((network.Id, member.UserId));
                }
            }
        }

        // Members that are no longer active (left, evicted) keep no mark.
        var stale = await db.Memberships.Where(m => ids.Contains(m.NetworkId) && m.Status != MemberStatus.Active && m.OverPlanLimit).ToListAsync(ct);
        stale.ForEach(m => m.OverPlanLimit = false);
        if (touched.Count == 0 && stale.Count == 0)
        {
            return;
        }

        await db.SaveChangesAsync(ct);
        foreach (var (network, user) in touched)
        {
            changes.NetworkChanged(network);
            changes.AccountChanged(user);
        }
    }
}
