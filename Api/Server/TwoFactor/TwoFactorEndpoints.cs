using System.Security.Claims;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Accounts;

namespace HamachiCloud.Api.TwoFactor;

internal static class TwoFactorEndpoints
{
    public static void MapTwoFactorEndpoints(this IEndpointRouteBuilder api)
    {
        var read = api.MapGroup("/me/two-factor").WithTags("Accounts").RequireAuthorization(AuthSchemes.ReadPolicy);
        var write = api.MapGroup("/me/two-factor").WithTags("Accounts").RequireAuthorization(AuthSchemes.WritePolicy);
        read.MapGet("/", (ClaimsPrincipal u, TwoFactorService s, CancellationToken ct) => s.GetAsync(u.UserId(), ct))
            .WithSummary("Is two-factor authentication on, recovery codes left, required for my role");
        write.MapPost("/setup", (ClaimsPrincipal u, TwoFactorService s, CancellationToken ct) => s.SetupAsync(u.UserId(), ct))
            .WithSummary("A new authenticator key and its otpauth:// URI (only while two-factor is off)");
        write.MapPost("/enable", (TwoFactorCodeRequest body, ClaimsPrincipal u, TwoFactorService s, CancellationToken ct) => s.EnableAsync(u.UserId(), body, ct))
            .WithSummary("Turn two-factor on with a code of the app; answers the 10 recovery codes, shown once");
        write.MapPost("/disable", async (TwoFactorCodeRequest body, ClaimsPrincipal u, TwoFactorService s, CancellationToken ct) =>
            {
                await s.DisableAsync(u.UserId(), body, ct);
                return Results.NoContent();
            })
            .WithSummary("Turn two-factor off with a code of the app or a recovery code");
        write.MapPost("/recovery-codes", (TwoFactorCodeRequest body, ClaimsPrincipal u, TwoFactorService s, CancellationToken ct) =>
                s.RegenerateRecoveryCodesAsync(u.UserId(), body, ct))
            .WithSummary("Replace the recovery codes (the old ones stop working)");
    }
}
