using System.Security.Claims;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Plans;

namespace HamachiCloud.Api.Plans;

/// <summary><c>/api/v1/admin/grants</c>: support staff and admins grant, extend and end plans by hand, each with a reason.</summary>
internal static class GrantEndpoints
{
    public static void MapGrantEndpoints(this IEndpointRouteBuilder api)
    {
        var read = api.MapGroup("/admin/grants").WithTags("Plans").RequireAuthorization(AuthSchemes.StaffReadPolicy);
        var write = api.MapGroup("/admin/grants").WithTags("Plans").RequireAuthorization(AuthSchemes.StaffWritePolicy);
        read.MapGet("/", (Guid? userId, ClaimsPrincipal u, GrantService s, CancellationToken ct) => s.ListAsync(u.UserId(), userId, ct))
            .WithSummary("Plans granted by hand, newest first (support staff)");
        write.MapPost("/", async (GrantPlanRequest body, ClaimsPrincipal u, GrantService s, CancellationToken ct) =>
            {
                var grant = await s.GrantAsync(u.UserId(), body, ct);
                return Results.Created($"/api/v1/admin/grants/{grant.Id}", grant);
            })
            .WithSummary("Grant a plan to a network or (account-wide plans) an account for some days, with a reason (support staff)");
        write.MapPost("/{id:guid}/extend", (Guid id, ChangeGrantRequest body, ClaimsPrincipal u, GrantService s, CancellationToken ct) =>
                s.ExtendAsync(u.UserId(), id, body, ct))
            .WithSummary("Extend a grant by some days, with a reason (support staff)");
        write.MapPost("/{id:guid}/end", (Guid id, ChangeGrantRequest body, ClaimsPrincipal u, GrantService s, CancellationToken ct) =>
                s.EndAsync(u.UserId(), id, body, ct))
            .WithSummary("End a grant now, with a reason; nothing is deleted (support staff)");
    }
}
