using System.Security.Claims;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Bans;

namespace HamachiCloud.Api.Bans;

/// <summary>/api/v1/bans: support staff and admins only (the service checks the role; everyone else gets 403).</summary>
internal static class BanEndpoints
{
    public static void MapBanEndpoints(this IEndpointRouteBuilder api)
    {
        var read = api.MapGroup("/bans").WithTags("Bans").RequireAuthorization(AuthSchemes.ReadPolicy);
        var write = api.MapGroup("/bans").WithTags("Bans").RequireAuthorization(AuthSchemes.WritePolicy);
        read.MapGet("/", (ClaimsPrincipal u, BanService s, CancellationToken ct) => s.ListAsync(u.UserId(), ct))
            .WithSummary("Every ban with its hit count, lifted ones included (support staff)");
        write.MapPost("/", async (CreateBanRequest body, ClaimsPrincipal u, HttpContext http, BanService s, CancellationToken ct) =>
            Results.Created("/api/v1/bans", await s.CreateAsync(u.UserId(), body, http.Connection.RemoteIpAddress, ct)))
            .WithSummary("Ban an IPv4 or IPv6 range, an account or a device (support staff)");
        write.MapPut("/{id:guid}", (Guid id, UpdateBanRequest body, ClaimsPrincipal u, BanService s, CancellationToken ct) => s.UpdateAsync(u.UserId(), id, body, ct))
            .WithSummary("Edit a ban's reason, note, expiry, scope and exemptions (support staff)");
        write.MapPost("/{id:guid}/lift", (Guid id, ClaimsPrincipal u, BanService s, CancellationToken ct) => s.LiftAsync(u.UserId(), id, ct))
            .WithSummary("Lift a ban: it stops acting everywhere and stays listed (support staff)");
        write.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal u, BanService s, CancellationToken ct) =>
            {
                await s.LiftAsync(u.UserId(), id, ct);
                return Results.NoContent();
            })
            .WithSummary("Lift a ban (the same as POST /{id}/lift)");
    }
}
