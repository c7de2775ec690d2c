using System.Security.Claims;
using System.Security.Cryptography;
using HamachiCloud.Portal.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace HamachiCloud.Portal.Auth;

/// <summary>
/// Sign-in: a cookie session backed by OpenID Connect (authorization code + PKCE) against the
/// Api's OpenIddict. The tokens go to the <see cref="TokenStore"/> under a fresh session id; the
/// cookie refers to a server-side ticket (<see cref="DistributedTicketStore"/>) by that id.
/// </summary>
internal static class PortalAuthentication
{
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string OidcScheme = OpenIdConnectDefaults.AuthenticationScheme;
    public const string CallbackPath = "/signin-oidc";
    public const string SignedOutCallbackPath = "/signout-callback-oidc";

    /// <summary>Authentication property carrying the id token to the end-session redirect (id_token_hint).</summary>
    public const string IdTokenHintItem = "hamachi.id_token_hint";

    public static void AddPortalAuthentication(this IServiceCollection services, PortalOptions portal, bool development)
    {
        services.AddSingleton<TokenStore>();
        services.AddSingleton<AccessTokens>();
        services.AddSingleton<TokenEndpointClient>();
        services.AddSingleton<ITicketStore, DistributedTicketStore>();
        services.AddHttpClient(TokenEndpointClient.HttpClientName, c =>
        {
            c.BaseAddress = portal.ApiBase;
            c.Timeout = TimeSpan.FromSeconds(portal.ApiTimeoutSeconds);
        });

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieScheme;
                o.DefaultChallengeScheme = OidcScheme;
            })
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "hamachi.portal";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(portal.SessionHours);
                o.SlidingExpiration = true;
                o.LoginPath = "/account/signin";
                o.AccessDeniedPath = "/";
                o.Events.OnValidatePrincipal = ValidateSessionAsync;
            })
            .AddOpenIdConnect(OidcScheme, o =>
            {
                o.Authority = portal.ApiUrl;
                o.ClientId = portal.ClientId;
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.UsePkce = true;
                // The code comes back in the query (a top-level GET), so the nonce and correlation
                // cookies can be SameSite=Lax and need no Secure flag on plain-http loopback.
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Scope.Clear();
                foreach (var scope in new[] { "openid", "profile", "email", "offline_access", "api" })
                {
                    o.Scope.Add(scope);
                }

                // The Api has no userinfo endpoint: name and email come in the id token.
                o.GetClaimsFromUserInfoEndpoint = false;
                o.SaveTokens = false; // tokens go to the TokenStore, not into the cookie
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = SessionClaims.Name;
                o.TokenValidationParameters.RoleClaimType = SessionClaims.Role;
                o.CallbackPath = CallbackPath;
                o.SignedOutCallbackPath = SignedOutCallbackPath;
                o.SignedOutRedirectUri = "/";
                o.DisableTelemetry = true;
                // Plain http only for a loopback Api (./run.sh, tests) or when explicitly allowed.
                o.RequireHttpsMetadata = !(portal.ApiIsLoopbackHttp || portal.AllowHttpAuthority);
                o.Events.OnRedirectToIdentityProvider = ctx =>
                {
                    ctx.ProtocolMessage.RedirectUri = PublicUrl(ctx.HttpContext) + CallbackPath;
                    return Task.CompletedTask;
                };
                o.Events.OnRedirectToIdentityProviderForSignOut = ctx =>
                {
                    ctx.ProtocolMessage.PostLogoutRedirectUri = PublicUrl(ctx.HttpContext) + SignedOutCallbackPath;
                    if (ctx.Properties.Items.TryGetValue(IdTokenHintItem, out var hint) && !string.IsNullOrEmpty(hint))
                    {
                        ctx.ProtocolMessage.IdTokenHint = hint;
                        ctx.Properties.Items.Remove(IdTokenHintItem);
                    }

                    return Task.CompletedTask;
                };
                o.Events.OnTokenValidated = StoreTokensAsync;
                o.Events.OnRemoteFailure = ctx =>
                {
                    ctx.HttpContext.RequestServices.GetRequiredService<ILogger<PortalOptions>>()
                        .LogWarning("sign-in at the Api failed: {Error}", ctx.Failure?.Message);
                    ctx.Response.Redirect("/?signin=failed");
                    ctx.HandleResponse();
                    return Task.CompletedTask;
                };
                if (development)
                {
                    o.Events.OnAuthenticationFailed = ctx =>
                    {
                        ctx.HttpContext.RequestServices.GetRequiredService<ILogger<PortalOptions>>()
                            .LogWarning(ctx.Exception, "OpenID Connect authentication failed");
                        return Task.CompletedTask;
                    };
                }
            });

        // The ticket store needs DI, so it is attached after registration.
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme)
            .Configure<ITicketStore>(DistributedTicketStore.Use);
    }

    private static string PublicUrl(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<PortalOptions>>().Value.PublicUrl;

    /// <summary>After the code exchange: a new session id, the tokens stored under it, the id as a claim.</summary>
    private static async Task StoreTokensAsync(TokenValidatedContext ctx)
    {
        var response = ctx.TokenEndpointResponse;
        if (response is null || string.IsNullOrEmpty(response.AccessToken) || ctx.Principal?.Identity is not ClaimsIdentity identity)
        {
            ctx.Fail("the Api's token answer has no access token");
            return;
        }

        var services = ctx.HttpContext.RequestServices;
        var clock = services.GetRequiredService<TimeProvider>();
        var expiresIn = int.TryParse(response.ExpiresIn, out var seconds) ? seconds : 300;
        var sessionId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var tokens = new TokenSet(response.AccessToken, response.RefreshToken, response.IdToken, clock.GetUtcNow().AddSeconds(expiresIn));
        await services.GetRequiredService<TokenStore>().SetAsync(sessionId, tokens, ctx.HttpContext.RequestAborted);

        // Keep only what the pages show; the id token's protocol claims (nonce, at_hash…) are dropped.
        var kept = new ClaimsIdentity(identity.AuthenticationType, SessionClaims.Name, SessionClaims.Role);
        kept.AddClaim(new Claim(SessionClaims.SessionId, sessionId));
        foreach (var claim in identity.Claims)
        {
            if (claim.Type is SessionClaims.Subject or SessionClaims.Name or SessionClaims.Email or SessionClaims.Role)
            {
                kept.AddClaim(new Claim(claim.Type, claim.Value));
            }
        }

        ctx.Principal = new ClaimsPrincipal(kept);
        services.GetRequiredService<ILogger<PortalOptions>>().LogInformation(
            "signed in {Subject} (session {Session})", kept.FindFirst(SessionClaims.Subject)?.Value, sessionId[..8]);
    }

    /// <summary>A cookie whose session has no tokens any more (signed out, Portal restarted) is not a sign-in.</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext ctx)
    {
        var sessionId = ctx.Principal?.FindFirst(SessionClaims.SessionId)?.Value;
        var store = ctx.HttpContext.RequestServices.GetRequiredService<TokenStore>();
        if (sessionId is null || await store.GetAsync(sessionId, ctx.HttpContext.RequestAborted) is null)
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(CookieScheme);
        }
    }
}
