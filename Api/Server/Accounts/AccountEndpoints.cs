using System.Security.Claims;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.RateLimiting;

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

        var recovery = api.MapGroup("/accounts").WithTags("Accounts").RequireRateLimiting(RateLimits.AccountRecovery).AllowAnonymous();
        recovery.MapPost("/confirm-email", async (ConfirmEmailRequest body, EmailConfirmationService s, CancellationToken ct) =>
            {
                await s.ConfirmAsync(body, ct);
                return Results.NoContent();
            })
            .WithSummary("Confirm the email address with the userId and code of the mailed link");
        recovery.MapPost("/resend-confirmation", async (ResendConfirmationRequest body, EmailConfirmationService s, CancellationToken ct) =>
            {
                await s.ResendAsync(body, ct);
                return Results.Accepted();
            })
            .WithSummary("Mail the confirmation link again (202 whether or not the address has an account)");
        recovery.MapPost("/forgot-password", async (ForgotPasswordRequest body, PasswordService s, CancellationToken ct) =>
            {
                await s.ForgotAsync(body, ct);
                return Results.Accepted();
            })
            .WithSummary("Mail a password reset link (202 whether or not the address has an account)");
        recovery.MapPost("/reset-password", async (ResetPasswordRequest body, PasswordService s, CancellationToken ct) =>
            {
                await s.ResetAsync(body, ct);
                return Results.NoContent();
            })
            .WithSummary("Set a new password with the email and code of the mailed link; ends every session");

        var read = api.MapGroup("/me").WithTags("Accounts").RequireAuthorization(AuthSchemes.ReadPolicy);
        var write = api.MapGroup("/me").WithTags("Accounts").RequireAuthorization(AuthSchemes.WritePolicy);
        read.MapGet("/", (ClaimsPrincipal u, AccountService s, CancellationToken ct) => s.GetAsync(u.UserId(), ct)).WithSummary("My account");
        read.MapGet("/tokens", (ClaimsPrincipal u, ApiTokenService s, CancellationToken ct) => s.ListMineAsync(u.UserId(), ct))
            .WithSummary("My personal API tokens");
        write.MapPost("/tokens", async (CreateApiTokenRequest body, ClaimsPrincipal u, ApiTokenService s, CancellationToken ct) =>
                Results.Created("/api/v1/me/tokens", await s.CreateAsync(u.UserId(), body, ct)))
            .WithSummary("Create a personal API token; the secret is shown only in this answer");
        write.MapPost("/password", async (ChangePasswordRequest body, ClaimsPrincipal u, PasswordService s, CancellationToken ct) =>
            {
                await s.ChangeAsync(u.UserId(), body, ct, u.SessionId());
                return Results.NoContent();
            })
            .WithSummary("Change my password (the current one is required); every other session of the account is revoked");
        write.MapDelete("/tokens/{id:guid}", async (Guid id, ClaimsPrincipal u, ApiTokenService s, CancellationToken ct) =>
            {
                await s.RevokeAsync(u.UserId(), id, ct);
                return Results.NoContent();
            })
            .WithSummary("Revoke a personal API token");
        write.MapPost("/tokens/revoke-all", async (ClaimsPrincipal u, ApiTokenService s, CancellationToken ct) =>
                Results.Ok(new RevokedApiTokens(await s.RevokeAllAsync(u.UserId(), ct))))
            .WithSummary("Revoke every personal API token of my account (the caller's own too, if it is one)");
    }
}
