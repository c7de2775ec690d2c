using System.Security.Claims;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Bans;

namespace HamachiCloud.Api.Bans;

internal static class BanEndpoints
{
    public static void MapBanEndpoints(this IEndpointRouteBuilder api)
    {
        var read = api.MapGroup("/bans").WithTags("Bans").RequireAuthorization(AuthSchemes.ReadPolicy);
        var write = api.MapGroup("/bans").WithTags("Bans").RequireAuthorization(AuthSchemes.WritePolicy);
        read.MapGet("/", (ClaimsPrincipal u, BanService s, CancellationToken ct) => s.ListAsync(u.UserId(), ct)).WithSummary("IP-range bans (support staff)");
        write.MapPost("/", async (CreateBanRequest body, ClaimsPrincipal u, HttpContext http, BanService s, CancellationToken ct) =>
            Results.Created("/api/v1/bans", await s.CreateAsync(u.UserId(), body, http.Connection.RemoteIpAddress, ct)))
            .WithSummary("Ban an IPv4 or IPv6 range (support staff)");
        write.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal u, BanService s, CancellationToken ct) =>
            {
                await s.DeleteAsync(u.UserId(), id, ct);
                return Results.NoContent();
            });
    }
}
