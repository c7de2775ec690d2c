namespace HamachiCloud.Api.Plans;

/// <summary>
/// The one way a plan refuses something: a 402 problem with code <see cref="ErrorCodes.PlanRequired"/>, the
/// detail "… needs the Premium plan" and <c>plan</c> (the plan's name) and <c>planId</c> members, so the Portal,
/// the CLI (one line from the hub's <c>CommandResult</c>) and scripts all say which plan allows it. Used by the
/// services (REST and the agents' hub share them), never only by a UI.
/// </summary>
internal static class PlanGates
{
    /// <summary>The refusal of <paramref name="what"/> ("a gateway network", "member 6") naming <paramref name="plan"/> and the plan <paramref name="current"/> in force.</summary>
    public static ApiProblemException Required(Plan plan, string what, string? current) =>
        new(402, ErrorCodes.PlanRequired, current is null ? $"{what} needs the {plan.Name} plan" : $"{what} needs the {plan.Name} plan (this network is on {current})")
        {
            Extensions = new Dictionary<string, object?> { ["plan"] = plan.Name, ["planId"] = plan.Id },
        };

    /// <summary>Throws 402 unless <paramref name="network"/>'s plan in force has the premium features.</summary>
    public static async Task RequirePremiumAsync(HamachiDbContext db, Network network, string what, CancellationToken ct)
    {
        var plan = network.Plan ?? await db.Plans.SingleAsync(p => p.Id == network.PlanId, ct);
        if (!plan.PremiumFeatures)
        {
            throw Required(await SmallestPremiumAsync(db, ct), what, plan.Name);
        }
    }

    /// <summary>The cheapest per-network plan with premium features (Premium), else any (Multi-network).</summary>
    public static async Task<Plan> SmallestPremiumAsync(HamachiDbContext db, CancellationToken ct) =>
        (await db.Plans.AsNoTracking().Where(p => p.PremiumFeatures).ToListAsync(ct))
            .OrderBy(p => p.AccountWide).ThenBy(p => p.MonthlyPriceCents).ThenBy(p => p.MaxMembersPerNetwork).First();

    /// <summary>The smallest per-network plan that allows <paramref name="members"/> members, or null when none does.</summary>
    public static async Task<Plan?> SmallestForMembersAsync(HamachiDbContext db, int members, CancellationToken ct) =>
        (await db.Plans.AsNoTracking().Where(p => p.MaxMembersPerNetwork >= members).ToListAsync(ct))
            .OrderBy(p => p.AccountWide).ThenBy(p => p.MaxMembersPerNetwork).ThenBy(p => p.MonthlyPriceCents).FirstOrDefault();
}
