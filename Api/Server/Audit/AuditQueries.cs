using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Audit;
using HamachiCloud.Api.Plans;
using Microsoft.AspNetCore.Identity;

namespace HamachiCloud.Api.Audit;

/// <summary>
/// Reading the audit log: support staff and admins see every event; anyone else the events of the networks they own
/// (<see cref="AuditEvent.NetworkId"/>). Filters: action or action family, actor, network, time range; newest first,
/// paged. The CSV export (<see cref="AuditCsv"/>) takes the same filters and scope, and for an owner needs a plan
/// with the premium features on every network it covers (402 <c>plan_required</c>); staff always may.
/// </summary>
internal sealed class AuditQueries(HamachiDbContext db, UserManager<User> users, StaffAccess staff)
{
    public const int MaxPageSize = 200;
    public const int MaxExportRows = 100_000;

    public async Task<AuditPageDto> ListAsync(Guid userId, AuditFilter filter, CancellationToken ct)
    {
        Validate(filter);
        var events = Filtered(await ScopeAsync(userId, filter, ct), filter);
        var total = await events.CountAsync(ct);
        var page = await ToDtos(Newest(events).Skip((filter.Page - 1) * filter.PageSize).Take(filter.PageSize), db).ToListAsync(ct);
        return new AuditPageDto(page, total, filter.Page, filter.PageSize);
    }

    public async Task<List<AuditEventDto>> ExportAsync(Guid userId, AuditFilter filter, CancellationToken ct)
    {
        Validate(filter with { Page = 1, PageSize = 1 });
        var scope = await ScopeAsync(userId, filter, ct);
        if (!await IsStaffAsync(userId))
        {
            await RequireExportPlanAsync(userId, filter.NetworkId, ct);
        }

        return await ToDtos(Newest(Filtered(scope, filter)).Take(MaxExportRows), db).ToListAsync(ct);
    }

    /// <summary>The events with the actor's email, as the REST answers and the CSV carry them.</summary>
    internal static IQueryable<AuditEventDto> ToDtos(IQueryable<AuditEvent> events, HamachiDbContext db) =>
        events.Select(e => new AuditEventDto(
            e.Id, e.At, e.ActorUserId, db.Users.Where(u => u.Id == e.ActorUserId).Select(u => u.Email).FirstOrDefault(),
            e.Action, e.TargetType, e.TargetId, e.NetworkId, e.IpAddress, e.Details));

    private static IOrderedQueryable<AuditEvent> Newest(IQueryable<AuditEvent> events) =>
        events.OrderByDescending(e => e.At).ThenByDescending(e => e.Id);

    private async Task<IQueryable<AuditEvent>> ScopeAsync(Guid userId, AuditFilter filter, CancellationToken ct)
    {
        if (await IsStaffAsync(userId))
        {
            await staff.RequireAsync(userId, "read every account's audit events"); // two-factor, when required of staff
            return db.AuditEvents.AsNoTracking();
        }

        if (filter.NetworkId is { } networkId && !await db.Networks.AnyAsync(n => n.Id == networkId && n.OwnerId == userId, ct))
        {
            throw ApiProblemException.NotFound("network"); // not the caller's: the same answer as no such network
        }

        var owned = db.Networks.Where(n => n.OwnerId == userId).Select(n => (Guid?)n.Id);
        return db.AuditEvents.AsNoTracking().Where(e => e.NetworkId != null && owned.Contains(e.NetworkId));
    }

    private static IQueryable<AuditEvent> Filtered(IQueryable<AuditEvent> events, AuditFilter f)
    {
        if (!string.IsNullOrWhiteSpace(f.Action))
        {
            var action = f.Action.Trim();
            var family = action + ".";
            events = events.Where(e => e.Action == action || e.Action.StartsWith(family));
        }

        if (f.ActorId is { } actor)
        {
            events = events.Where(e => e.ActorUserId == actor);
        }

        if (f.NetworkId is { } network)
        {
            events = events.Where(e => e.NetworkId == network);
        }

        if (f.From is { } from)
        {
            events = events.Where(e => e.At >= from);
        }

        if (f.To is { } to)
        {
            events = events.Where(e => e.At < to);
        }

        return events;
    }

    private async Task RequireExportPlanAsync(Guid userId, Guid? networkId, CancellationToken ct)
    {
        var networks = await db.Networks.Include(n => n.Plan)
            .Where(n => n.OwnerId == userId && (networkId == null || n.Id == networkId)).ToListAsync(ct);
        var missing = networks.FirstOrDefault(n => !n.Plan!.PremiumFeatures);
        if (networks.Count == 0 || missing is not null)
        {
            throw PlanGates.Required(await PlanGates.SmallestPremiumAsync(db, ct), "exporting the audit log", missing?.Plan?.Name ?? "Free");
        }
    }

    private async Task<bool> IsStaffAsync(Guid userId) =>
        await users.FindByIdAsync(userId.ToString()) is { } user && await staff.IsStaffAsync(user);

    private static void Validate(AuditFilter f) =>
        new Validator()
            .Check(f.Page >= 1, "page", "must be 1 or more")
            .Check(f.PageSize is >= 1 and <= MaxPageSize, "pageSize", $"must be between 1 and {MaxPageSize}")
            .Check(f.Action is null || (f.Action.Length <= 64 && !f.Action.Any(char.IsControl)), "action", "must be at most 64 characters")
            .Check(f.From is null || f.To is null || f.From < f.To, "to", "must be after from")
            .ThrowIfInvalid();
}
