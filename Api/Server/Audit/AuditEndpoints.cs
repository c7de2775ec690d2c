using System.Security.Claims;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Audit;

namespace HamachiCloud.Api.Audit;

/// <summary><c>/api/v1/audit</c>: the audit log with filters and paging, and its CSV export (see <see cref="AuditQueries"/> for who sees what).</summary>
internal static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder api)
    {
        var read = api.MapGroup("/audit").WithTags("Audit").RequireAuthorization(AuthSchemes.ReadPolicy);
        read.MapGet("/", (ClaimsPrincipal u, AuditQueries q, CancellationToken ct,
                string? action, Guid? actorId, Guid? networkId, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize) =>
                q.ListAsync(u.UserId(), new AuditFilter(action, actorId, networkId, from, to, page ?? 1, pageSize ?? 50), ct))
            .WithSummary("Audit events, newest first: staff see all, owners their networks' (filters: action, actorId, networkId, from, to; paging)");
        read.MapGet("/export", async (ClaimsPrincipal u, AuditQueries q, TimeProvider clock, CancellationToken ct,
                string? action, Guid? actorId, Guid? networkId, DateTimeOffset? from, DateTimeOffset? to) =>
            {
                var events = await q.ExportAsync(u.UserId(), new AuditFilter(action, actorId, networkId, from, to), ct);
                var name = $"audit-{clock.GetUtcNow():yyyyMMdd-HHmmss}.csv";
                return Results.File(System.Text.Encoding.UTF8.GetBytes(AuditCsv.Write(events)), "text/csv; charset=utf-8", name);
            })
            .WithSummary("The same events as CSV (owners need a plan with the premium features; staff always may)");
    }
}
