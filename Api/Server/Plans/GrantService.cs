using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Plans;

namespace HamachiCloud.Api.Plans;

/// <summary>
/// Plans granted by hand (support staff and admins only): a <see cref="Subscription"/> with source
/// <see cref="SubscriptionSource.Grant"/> for a network (per-network plans) or an account (account-wide plans), for a
/// number of days; extended or ended later. Every change needs a reason, is in the audit log (same save), and is
/// applied at once through <see cref="PlanChanges.ApplyAsync"/>. Grant rows are never deleted.
/// </summary>
internal sealed class GrantService(HamachiDbContext db, StaffAccess staff, AuditLog audit, PlanChanges plans, TimeProvider clock)
{
    public const int MaxDays = 3650;
    public const int MaxReasonLength = 256;

    public async Task<GrantDto> GrantAsync(Guid staffId, GrantPlanRequest request, CancellationToken ct)
    {
        await staff.RequireAsync(staffId, "grant plans");
        var plan = request.PlanId is null ? null : await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == request.PlanId, ct);
        var validator = Reason(new Validator(), request.Reason)
            .Range("days", request.Days, 1, MaxDays)
            .Check(plan is not null && plan.Id != Plan.FreeId, "planId", $"must be a paid plan ({string.Join(", ", await PaidPlanIdsAsync(ct))})")
            .Check(request.NetworkId is null != request.UserId is null, "networkId", "give either networkId (a network's plan) or userId (an account-wide plan)");
        if (plan is not null)
        {
            validator
                .Check(!plan.AccountWide || request.NetworkId is null, "planId", $"{plan.Name} is account-wide: grant it to the account (userId)")
                .Check(plan.AccountWide || request.UserId is null, "planId", $"{plan.Name} applies to one network: grant it to the network (networkId)");
        }

        validator.ThrowIfInvalid();
        Guid ownerId;
        if (request.NetworkId is { } networkId)
        {
            ownerId = await db.Networks.Where(n => n.Id == networkId).Select(n => (Guid?)n.OwnerId).FirstOrDefaultAsync(ct)
                ?? throw ApiProblemException.NotFound("network");
        }
        else
        {
            ownerId = request.UserId!.Value;
            if (!await db.Users.AnyAsync(u => u.Id == ownerId, ct))
            {
                throw ApiProblemException.NotFound("account");
            }
        }

        var now = clock.GetUtcNow();
        var grant = new Subscription
        {
            Id = Guid.CreateVersion7(now),
            UserId = ownerId,
            NetworkId = request.NetworkId,
            PlanId = plan!.Id,
            Status = SubscriptionStatus.Active,
            Source = SubscriptionSource.Grant,
            StartedAt = now,
            EndsAt = now.AddDays(request.Days),
            GrantedById = staffId,
            Reason = request.Reason.Trim(),
            UpdatedAt = now,
        };
        db.Subscriptions.Add(grant);
        Record(staffId, "plan.granted", grant, $"{plan.Name} until {grant.EndsAt:u}: {grant.Reason}");
        await db.SaveChangesAsync(ct);
        await plans.ApplyAsync(ownerId, ct);
        return await ToDtoAsync(grant.Id, ct);
    }

    public async Task<List<GrantDto>> ListAsync(Guid staffId, Guid? userId, CancellationToken ct)
    {
        await staff.RequireAsync(staffId, "list plan grants");
        var rows = await db.Subscriptions.AsNoTracking().Include(s => s.Plan)
            .Where(s => s.Source == SubscriptionSource.Grant && (userId == null || s.UserId == userId))
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        return rows.OrderByDescending(s => s.StartedAt).ThenBy(s => s.Id).Select(s => ToDto(s, now)).ToList();
    }

    /// <summary>Adds <see cref="ChangeGrantRequest.Days"/> to the grant's end (from now when it has ended); an ended grant becomes active again.</summary>
    public async Task<GrantDto> ExtendAsync(Guid staffId, Guid id, ChangeGrantRequest request, CancellationToken ct)
    {
        await staff.RequireAsync(staffId, "extend plan grants");
        Reason(new Validator(), request.Reason).Range("days", request.Days, 1, MaxDays).ThrowIfInvalid();
        var grant = await LoadAsync(id, ct);
        var now = clock.GetUtcNow();
        var from = grant.EndsAt is { } end && end > now && grant.Status == SubscriptionStatus.Active ? end : now;
        grant.EndsAt = from.AddDays(request.Days);
        grant.Status = SubscriptionStatus.Active;
        grant.Reason = request.Reason.Trim();
        grant.UpdatedAt = now;
        Record(staffId, "plan.grant_extended", grant, $"{grant.PlanId} until {grant.EndsAt:u}: {grant.Reason}");
        await db.SaveChangesAsync(ct);
        await plans.ApplyAsync(grant.UserId, ct);
        return await ToDtoAsync(grant.Id, ct);
    }

    /// <summary>Ends the grant now; the row stays (status ended) for the history.</summary>
    public async Task<GrantDto> EndAsync(Guid staffId, Guid id, ChangeGrantRequest request, CancellationToken ct)
    {
        await staff.RequireAsync(staffId, "end plan grants");
        Reason(new Validator(), request.Reason).ThrowIfInvalid();
        var grant = await LoadAsync(id, ct);
        var now = clock.GetUtcNow();
        grant.Status = SubscriptionStatus.Ended;
        grant.EndsAt = now;
        grant.Reason = request.Reason.Trim();
        grant.UpdatedAt = now;
        Record(staffId, "plan.grant_ended", grant, $"{grant.PlanId}: {grant.Reason}");
        await db.SaveChangesAsync(ct);
        await plans.ApplyAsync(grant.UserId, ct);
        return await ToDtoAsync(grant.Id, ct);
    }

    private static Validator Reason(Validator validator, string? reason) =>
        validator.Check(!string.IsNullOrWhiteSpace(reason) && reason.Length <= MaxReasonLength, "reason", $"is required (at most {MaxReasonLength} characters)");

    private void Record(Guid staffId, string action, Subscription grant, string details) =>
        audit.Record(staffId, action, grant.NetworkId is null ? "user" : "network", grant.NetworkId ?? grant.UserId, $"grant {grant.Id}: {details}");

    private async Task<Subscription> LoadAsync(Guid id, CancellationToken ct) =>
        await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == id && s.Source == SubscriptionSource.Grant, ct)
        ?? throw ApiProblemException.NotFound("grant");

    private async Task<List<string>> PaidPlanIdsAsync(CancellationToken ct) =>
        await db.Plans.AsNoTracking().Where(p => p.Id != Plan.FreeId).OrderBy(p => p.MonthlyPriceCents).Select(p => p.Id).ToListAsync(ct);

    private async Task<GrantDto> ToDtoAsync(Guid id, CancellationToken ct) =>
        ToDto(await db.Subscriptions.AsNoTracking().Include(s => s.Plan).SingleAsync(s => s.Id == id, ct), clock.GetUtcNow());

    private static GrantDto ToDto(Subscription s, DateTimeOffset now) =>
        new(s.Id, s.UserId, s.NetworkId, s.PlanId, s.Plan?.Name ?? s.PlanId, PlanChanges.IsLive(s, now), s.StartedAt, s.EndsAt, s.Reason, s.GrantedById);
}
