using HamachiCloud.Api.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace HamachiCloud.Api.Auth;

/// <summary>
/// REST API authentication: bearer tokens only (no cookies, so no CSRF on the API). Personal API
/// tokens go to <see cref="ApiTokenAuthenticationHandler"/>, everything else to OpenIddict
/// validation. "read" endpoints need scope api, read or write; "write" endpoints api or write; all of them an
/// account not disabled by support (<see cref="AccountEnabledHandler"/>).
/// </summary>
internal static class AuthSetup
{
    public static IServiceCollection AddHamachiAuth(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(AuthSchemes.ApiToken, null)
            .AddPolicyScheme(AuthSchemes.Bearer, "Bearer (API token or OAuth access token)", o =>
                o.ForwardDefaultSelector = ctx =>
                    ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer " + SecretTokens.ApiTokenPrefix, StringComparison.Ordinal)
                        ? AuthSchemes.ApiToken
                        : OpenIddictSetup.ValidationScheme);

        services.AddAuthorizationBuilder()
            .AddPolicy(AuthSchemes.ReadPolicy, p => Scoped(p, AuthSchemes.ApiScope, AuthSchemes.ReadScope, AuthSchemes.WriteScope))
            .AddPolicy(AuthSchemes.WritePolicy, p => Scoped(p, AuthSchemes.ApiScope, AuthSchemes.WriteScope))
            .AddPolicy(AuthSchemes.StaffReadPolicy, p => Scoped(p, AuthSchemes.ApiScope, AuthSchemes.ReadScope, AuthSchemes.WriteScope).AddRequirements(new StaffRequirement()))
            .AddPolicy(AuthSchemes.StaffWritePolicy, p => Scoped(p, AuthSchemes.ApiScope, AuthSchemes.WriteScope).AddRequirements(new StaffRequirement()))
            .AddPolicy(AuthSchemes.LivePolicy, p => p.AddAuthenticationSchemes(OpenIddictSetup.ValidationScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(ctx => ctx.User.FindAll(AuthSchemes.ScopeClaim).Any(c => c.Value == AuthSchemes.ApiScope))
                .AddRequirements(new AccountEnabledRequirement()));
        services.AddScoped<IAuthorizationHandler, AccountEnabledHandler>();
        services.AddScoped<IAuthorizationHandler, StaffHandler>();
        return services;
    }

    private static AuthorizationPolicyBuilder Scoped(AuthorizationPolicyBuilder policy, params string[] anyOf) =>
        policy.AddAuthenticationSchemes(AuthSchemes.Bearer)
            .RequireAuthenticatedUser()
            .RequireAssertion(ctx => ctx.User.FindAll(AuthSchemes.ScopeClaim).Any(c => anyOf.Contains(c.Value)))
            .AddRequirements(new AccountEnabledRequirement());
}
