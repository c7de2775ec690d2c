using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HamachiCloud.Api.Identity;

/// <summary>
/// The passthrough endpoints of the OAuth server: authorize (code + PKCE), token (code, refresh,
/// device code), the device-flow verification page where a signed-in user approves a code, and
/// end session (logout).
/// </summary>
internal static class ConnectEndpoints
{
    private const string OidcScheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static void MapConnectEndpoints(this IEndpointRouteBuilder app)
    {
        var connect = app.MapGroup("/connect").ExcludeFromDescription();
        connect.MapMethods("/authorize", ["GET", "POST"], AuthorizeAsync).DisableAntiforgery();
        connect.MapPost("/token", TokenAsync).DisableAntiforgery();
        connect.MapGet("/verify", VerifyPageAsync);
        connect.MapPost("/verify", VerifySubmitAsync);
        connect.MapMethods("/logout", ["GET", "POST"], LogoutAsync).DisableAntiforgery();
    }

    /// <summary>
    /// End session (RP-initiated logout, the Portal's sign-out): ends the Identity cookie session
    /// and lets OpenIddict redirect to the client's registered post-logout URI (validated by it
    /// before this runs; without one, to the sign-in page).
    /// </summary>
    private static async Task<IResult> LogoutAsync(HttpContext ctx, SignInManager<User> signIn)
    {
        _ = ctx.GetOpenIddictServerRequest()
            ?? throw ApiProblemException.BadRequest(ErrorCodes.MalformedRequest, "not an OpenID Connect end-session request");
        await signIn.SignOutAsync();
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/account/login" }, [OidcScheme]);
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext ctx, UserManager<User> users)
    {
        var request = ctx.GetOpenIddictServerRequest()
            ?? throw ApiProblemException.BadRequest(ErrorCodes.MalformedRequest, "not an OpenID Connect request");
        var session = await ctx.AuthenticateAsync(OpenIddictSetup.CookieScheme);
        if (!session.Succeeded)
        {
            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = ctx.Request.PathBase + ctx.Request.Path + ctx.Request.QueryString },
                [OpenIddictSetup.CookieScheme]);
        }

        var user = await users.GetUserAsync(session.Principal!);
        if (user is null)
        {
            return Forbid(OpenIddictConstants.Errors.AccessDenied, "the account is not available");
        }

        // A one-time password gets no code: first the change-password page, then back here.
        if (user.MustChangePassword)
        {
            return LoginEndpoints.RedirectToChangePassword(ctx.Request.PathBase + ctx.Request.Path + ctx.Request.QueryString);
        }

        return Results.SignIn(await CreatePrincipalAsync(users, user, request.GetScopes()), null, OidcScheme);
    }

    private static async Task<IResult> TokenAsync(HttpContext ctx, UserManager<User> users, SignInManager<User> signIn)
    {
        var request = ctx.GetOpenIddictServerRequest()
            ?? throw ApiProblemException.BadRequest(ErrorCodes.MalformedRequest, "not an OAuth token request");
        if (!request.IsAuthorizationCodeGrantType() && !request.IsRefreshTokenGrantType() && !request.IsDeviceCodeGrantType())
        {
            return Forbid(OpenIddictConstants.Errors.UnsupportedGrantType, "grant type not supported");
        }

        // The code / refresh token / device code was validated by OpenIddict (a revoked session's is refused
        // there); re-check the account. Failed passwords never reach this: guessing cannot fail a refresh.
        var result = await ctx.AuthenticateAsync(OidcScheme);
        var user = await users.FindByIdAsync(result.Principal?.GetClaim(Claims.Subject) ?? "");
        if (user is null || user.MustChangePassword || !await signIn.CanSignInAsync(user))
        {
            return Forbid(OpenIddictConstants.Errors.InvalidGrant, "the account is no longer allowed to sign in");
        }

        return Results.SignIn(await CreatePrincipalAsync(users, user, result.Principal!.GetScopes()), null, OidcScheme);
    }

    private static async Task<IResult> VerifyPageAsync(
        HttpContext ctx, UserManager<User> users, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery)
    {
        var session = await ctx.AuthenticateAsync(OpenIddictSetup.CookieScheme);
        if (!session.Succeeded)
        {
            return Results.Challenge(
                new AuthenticationProperties { RedirectUri = ctx.Request.PathBase + ctx.Request.Path + ctx.Request.QueryString },
                [OpenIddictSetup.CookieScheme]);
        }

        if ((await users.GetUserAsync(session.Principal!))?.MustChangePassword == true)
        {
            return LoginEndpoints.RedirectToChangePassword(ctx.Request.PathBase + ctx.Request.Path + ctx.Request.QueryString);
        }

        var code = ctx.Request.Query["user_code"].ToString();
        return HtmlPages.Verify(antiforgery.GetAndStoreTokens(ctx), code, message: null);
    }

    /// <summary>
    /// Approves or denies a user code. From the Identity cookie's page (antiforgery required), or from
    /// the Portal's server with <c>Authorization: Bearer</c> (an OAuth access token with scope api; not
    /// ambient, so no antiforgery; errors are problem details). A decided code's request record goes.
    /// </summary>
    private static async Task<IResult> VerifySubmitAsync(
        HttpContext ctx,
        UserManager<User> users,
        Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery,
        HamachiDbContext db,
        IOpenIddictAuthorizationManager authorizations,
        RateLimiting.GuessLimits guesses,
        Microsoft.Extensions.Options.IOptions<RateLimiting.RateLimitOptions> limits)
    {
        var bearer = ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        User? user;
        if (bearer)
        {
            user = await DeviceApproval.BearerUserAsync(ctx, users);
        }
        else
        {
            if (!await antiforgery.IsRequestValidAsync(ctx))
            {
                ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
                return HtmlPages.Message("Form expired", "The approval form was not sent from this page (or it is too old). Reload /connect/verify and try again.");
            }

            var session = await ctx.AuthenticateAsync(OpenIddictSetup.CookieScheme);
            user = session.Succeeded ? await users.GetUserAsync(session.Principal!) : null;
            if (user is null)
            {
                return Results.Challenge(new AuthenticationProperties { RedirectUri = "/connect/verify" }, [OpenIddictSetup.CookieScheme]);
            }

            if (user.MustChangePassword)
            {
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                return HtmlPages.Message("Change your password first", "You signed in with a one-time password; choose your own password at /account/change-password before approving devices.");
            }
        }

        // Wrong codes are limited per client address and per account (shared with the code lookup of the API), checked first.
        string[] guessKeys = [RateLimiting.RateLimits.AddressKey(ctx.Connection.RemoteIpAddress), "user:" + user!.Id.ToString("N")];
        await guesses.CheckAsync(RateLimiting.GuessLimits.DeviceCode, limits.Value.DeviceCodeGuessesPerMinute, guessKeys, "device codes", ctx.RequestAborted);

        // OpenIddict has resolved the user_code of the form; a client id means it is valid and pending.
        var result = await ctx.AuthenticateAsync(OidcScheme);
        if (!result.Succeeded || string.IsNullOrEmpty(result.Principal?.GetClaim(Claims.ClientId)))
        {
            await guesses.WrongAsync(RateLimiting.GuessLimits.DeviceCode, guessKeys, ctx.RequestAborted);
            if (bearer)
            {
                throw new ApiProblemException(400, ErrorCodes.DeviceCodeNotFound, DeviceCodes.NotFoundDetail);
            }

            ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
            return HtmlPages.Verify(antiforgery.GetAndStoreTokens(ctx), "", "That code is invalid or has expired. Start `hamachi login` again.");
        }

        var form = await ctx.Request.ReadFormAsync();
        await DeviceCodes.ForgetAsync(db, form["user_code"], ctx.RequestAborted);
        if (form["action"] != "approve")
        {
            return Results.Forbid(
                new AuthenticationProperties { RedirectUri = "/connect/verify/done?approved=false" }, [OidcScheme]);
        }

        await DeviceApproval.ClaimAuthorizationAsync(authorizations, result.Principal!, user, ctx.RequestAborted);
        return Results.SignIn(
            await CreatePrincipalAsync(users, user, result.Principal!.GetScopes()),
            new AuthenticationProperties { RedirectUri = "/connect/verify/done?approved=true" },
            OidcScheme);
    }

    private static async Task<ClaimsPrincipal> CreatePrincipalAsync(UserManager<User> users, User user, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.Name, user.DisplayName);
        foreach (var role in await users.GetRolesAsync(user))
        {
            identity.AddClaim(new Claim(Claims.Role, role));
        }

        identity.SetScopes(scopes);
        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.Name or Claims.Email when identity.HasScope(Scopes.Profile) || identity.HasScope(Scopes.Email) =>
                [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [Destinations.AccessToken],
        });
        return new ClaimsPrincipal(identity);
    }

    private static IResult Forbid(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OidcScheme]);
}
