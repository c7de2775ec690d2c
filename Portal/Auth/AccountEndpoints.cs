using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace HamachiCloud.Portal.Auth;

/// <summary>
/// <c>GET /account/signin</c> (starts the OIDC sign-in, back to a local return URL) and
/// <c>POST /account/signout</c> (antiforgery-checked form: revokes the refresh and access tokens at
/// the Api, forgets them, ends the Portal cookie and then the Api's own session through its
/// end-session endpoint, which comes back to <c>/signout-callback-oidc</c>).
/// </summary>
internal static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/account/signin", ([FromQuery] string? returnUrl) =>
            Results.Challenge(new AuthenticationProperties { RedirectUri = LocalOrRoot(returnUrl) }, [PortalAuthentication.OidcScheme]))
            .AllowAnonymous();

        app.MapPost("/account/signout", SignOutAsync);
    }

    private static async Task<IResult> SignOutAsync(
        HttpContext http, IAntiforgery antiforgery, TokenStore store, TokenEndpointClient endpoint, ILogger<TokenStore> log)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return Results.BadRequest("sign-out needs the form's antiforgery token: reload the page and try again");
        }

        var properties = new AuthenticationProperties { RedirectUri = "/" };
        var sessionId = http.User.FindFirst(SessionClaims.SessionId)?.Value;
        if (sessionId is null)
        {
            return Results.Redirect("/");
        }

        var tokens = await store.GetAsync(sessionId, http.RequestAborted);
        if (tokens is not null)
        {
            if (tokens.RefreshToken is not null)
            {
                await endpoint.RevokeAsync(tokens.RefreshToken, "refresh_token", http.RequestAborted);
            }

            await endpoint.RevokeAsync(tokens.AccessToken, "access_token", http.RequestAborted);
            if (tokens.IdToken is not null)
            {
                properties.Items[PortalAuthentication.IdTokenHintItem] = tokens.IdToken;
            }
        }

        await store.RemoveAsync(sessionId, http.RequestAborted);
        log.LogInformation("signed out {Subject} (session {Session}); tokens revoked", http.User.FindFirst(SessionClaims.Subject)?.Value, sessionId[..8]);
        return Results.SignOut(properties, [PortalAuthentication.CookieScheme, PortalAuthentication.OidcScheme]);
    }

    /// <summary>Only a local path ("/networks"), never another site ("//evil", "https://…").</summary>
    internal static string LocalOrRoot(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/";
}
