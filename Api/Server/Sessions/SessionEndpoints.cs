using System.Security.Claims;
using HamachiCloud.Api.Auth;

namespace HamachiCloud.Api.Sessions;

internal static class SessionEndpoints
{
    public static void MapSessionEndpoints(this IEndpointRouteBuilder api)
    {
        var read = api.MapGroup("/me/sessions").WithTags("Accounts").RequireAuthorization(AuthSchemes.ReadPolicy);
        var write = api.MapGroup("/me/sessions").WithTags("Accounts").RequireAuthorization(AuthSchemes.WritePolicy);
        read.MapGet("/", (ClaimsPrincipal u, SessionService s, CancellationToken ct) => s.ListAsync(u.UserId(), ct))
            .WithSummary("My sessions: the OAuth authorizations of the Portal and the CLI");
        write.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal u, SessionService s, CancellationToken ct) =>
            {
                await s.RevokeAsync(u.UserId(), id, ct);
                return Results.NoContent();
            })
            .WithSummary("Revoke a session and its tokens (its refresh token is refused from now on)");
        write.MapPost("/revoke-all", async (ClaimsPrincipal u, SessionService s, CancellationToken ct) =>
            {
                await s.RevokeAllAsync(u.UserId(), "revoked by the user", ct);
                return Results.NoContent();
            })
            .WithSummary("Revoke every session of my account, this one included");
    }
}
