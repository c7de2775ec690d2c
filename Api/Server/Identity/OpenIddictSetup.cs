using Microsoft.AspNetCore.Identity;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HamachiCloud.Api.Identity;

/// <summary>
/// ASP.NET Core Identity (accounts, password hashing; no lockout, see <see cref="SignIn.SignInThrottle"/>) and the OpenIddict server:
/// authorization code + PKCE (Portal), device authorization grant (CLI), refresh tokens, and the
/// end-session endpoint the Portal's sign-out ends the Identity cookie session through.
/// </summary>
internal static class OpenIddictSetup
{
    public const string PortalClientId = "hamachi-portal";
    public const string CliClientId = "hamachi-cli";

    public static IServiceCollection AddHamachiIdentity(this IServiceCollection services, IdentityServerOptions options)
    {
        services.AddIdentity<User, Role>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedEmail = options.RequireConfirmedEmail;
                o.Password.RequiredLength = 10;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                // No lockout (HamachiUserManager): failures are slowed by SignIn.SignInThrottle instead.
                o.Lockout.AllowedForNewUsers = false;
                o.ClaimsIdentity.UserIdClaimType = Claims.Subject;
                o.ClaimsIdentity.UserNameClaimType = Claims.Name;
                o.ClaimsIdentity.RoleClaimType = Claims.Role;
                o.ClaimsIdentity.EmailClaimType = Claims.Email;
            })
            .AddEntityFrameworkStores<HamachiDbContext>()
            .AddUserManager<SignIn.HamachiUserManager>()
            .AddDefaultTokenProviders();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.Cookie.Name = "hamachi.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });

        services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<HamachiDbContext>().ReplaceDefaultEntities<Guid>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetDeviceAuthorizationEndpointUris("connect/device")
                    .SetEndUserVerificationEndpointUris("connect/verify")
                    .SetRevocationEndpointUris("connect/revoke")
                    .SetEndSessionEndpointUris("connect/logout");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowDeviceAuthorizationFlow()
                    .AllowRefreshTokenFlow();
                o.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess, Auth.AuthSchemes.ApiScope);
                o.SetAccessTokenLifetime(TimeSpan.FromMinutes(options.AccessTokenMinutes));
                o.SetRefreshTokenLifetime(TimeSpan.FromDays(options.RefreshTokenDays));
                o.AddSigningKey(TokenKeyStore.Load(options.KeyDirectory, "signing"));
                o.AddEncryptionKey(TokenKeyStore.Load(options.KeyDirectory, "encryption"));
                o.DisableAccessTokenEncryption();
                o.AddEventHandler(DeviceAuthorizationRecorder.Descriptor); // records hamachi login requests, points at the Portal
                var aspnet = o.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndUserVerificationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
                if (options.AllowHttp)
                {
                    aspnet.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                // A revoked token (the Portal's sign-out) or session (sign out everywhere, password
                // reset, session revoked) stops its access tokens at once instead of when they expire:
                // one indexed read of the token and the authorization entry per bearer request.
                o.EnableTokenEntryValidation();
                o.EnableAuthorizationEntryValidation();
                // Tokens in URLs end up in logs: only the header, except on the Portal's hub for browsers (PortalAccessToken).
                o.UseAspNetCore().DisableAccessTokenExtractionFromQueryString().DisableAccessTokenExtractionFromBodyForm();
            });

        return services;
    }

    /// <summary>The validation scheme OAuth access tokens are checked by.</summary>
    public static string ValidationScheme => OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;

    /// <summary>The Identity cookie scheme (sign-in page, authorize and verify endpoints only).</summary>
    public static string CookieScheme => IdentityConstants.ApplicationScheme;
}
