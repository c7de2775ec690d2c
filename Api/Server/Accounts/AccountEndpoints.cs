using System.Security.Claims;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Accounts;

namespace HamachiCloud.Api.Accounts;

internal static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/accounts/register", async (RegisterRequest body, AccountService s, CancellationToken ct) =>
            {
                var account = await s.RegisterAsync(body, ct);
                return Results.Created("/api/v1/me", account);
            })
            .WithTags("Accounts")
            .WithSummary("Create an account (email + password)")
            .RequireRateLimiting(RateLimits.Registration)
            .AllowAnonymous();

        var read = api.MapGroup("/me").WithTags("Accounts").RequireAuthorization(AuthSchemes.ReadPolicy);
        var write = api.MapGroup("/me").WithTags("Accounts").RequireAuthorization(AuthSchemes.WritePolicy);
        read.MapGet("/", (ClaimsPrincipal u, AccountService s, CancellationToken ct) => s.GetAsync(u.UserId(), ct)).WithSummary("My account");
        read.MapGet("/tokens", (ClaimsPrincipal u, ApiTokenService s, CancellationToken ct) => s.ListMineAsync(u.UserId(), ct))
            .WithSummary("My personal API tokens");
        write.MapPost("/tokens", async (CreateApiTokenRequest body, ClaimsPrincipal u, ApiTokenService s, CancellationToken ct) =>
                Results.Created("/api/v1/me/tokens", await s.CreateAsync(u.UserId(), body, ct)))
            .WithSummary("Create a personal API token; the secret is shown only in this answer");
        write.MapDelete("/tokens/{id:guid}", async (Guid id, ClaimsPrincipal u, ApiTokenService s, CancellationToken ct) =>
            {
                await s.RevokeAsync(u.UserId(), id, ct);
                return Results.NoContent();
            })
            .WithSummary("Revoke a personal API token");
    }
}
