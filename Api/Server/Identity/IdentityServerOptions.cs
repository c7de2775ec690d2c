using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Identity;

/// <summary>Section <c>Identity</c>: tokens, keys and clients (failed sign-ins: <see cref="SignIn.SignInThrottleOptions"/>).</summary>
public sealed class IdentityServerOptions
{
    public const string Section = "Identity";

    /// <summary>Where the token signing/encryption keys live (created on first start). Share it between Api nodes.</summary>
    public string KeyDirectory { get; set; } = "data/keys";

    /// <summary>Redirect URIs of the Portal client (authorization code + PKCE).</summary>
    public List<string> PortalRedirectUris { get; set; } = ["http://127.0.0.1:5080/signin-oidc"];

    /// <summary>Where the end-session endpoint (<c>/connect/logout</c>) may send the browser back to after the Portal's sign-out.</summary>
    public List<string> PortalPostLogoutRedirectUris { get; set; } = ["http://127.0.0.1:5080/signout-callback-oidc"];

    /// <summary>
    /// The Portal's public base URL (no trailing slash): links in emails (confirmation, password reset)
    /// and the device-flow verification URL the CLI prints point here.
    /// </summary>
    public string PortalUrl { get; set; } = "http://127.0.0.1:5080";

    public int AccessTokenMinutes { get; set; } = 60;
    public int RefreshTokenDays { get; set; } = 30;

    /// <summary>
    /// Sign-in (the sign-in page and every token grant) refuses an account whose email address is not
    /// confirmed yet. Registration always mails the confirmation link.
    /// </summary>
    public bool RequireConfirmedEmail { get; set; } = true;

    /// <summary>
    /// Staff accounts (roles admin, support) must turn on two-factor authentication: until they do, staff-only
    /// endpoints answer 403 <c>two_factor_required</c> and they cannot turn it off.
    /// </summary>
    public bool RequireTwoFactorForStaff { get; set; } = true;

    /// <summary>Allow plain HTTP for the identity endpoints (loopback development, tests). Never in production.</summary>
    public bool AllowHttp { get; set; }

    internal sealed class Validator : IValidateOptions<IdentityServerOptions>
    {
        public ValidateOptionsResult Validate(string? name, IdentityServerOptions o)
        {
            var failures = new List<string>();
            if (string.IsNullOrWhiteSpace(o.KeyDirectory))
            {
                failures.Add($"{Section}:KeyDirectory is required");
            }

            foreach (var uri in o.PortalRedirectUris)
            {
                if (!Uri.TryCreate(uri, UriKind.Absolute, out _))
                {
                    failures.Add($"{Section}:PortalRedirectUris: '{uri}' is not an absolute URI");
                }
            }

            foreach (var uri in o.PortalPostLogoutRedirectUris)
            {
                if (!Uri.TryCreate(uri, UriKind.Absolute, out _))
                {
                    failures.Add($"{Section}:PortalPostLogoutRedirectUris: '{uri}' is not an absolute URI");
                }
            }

            if (!Uri.TryCreate(o.PortalUrl, UriKind.Absolute, out var portal) || portal.Scheme is not ("http" or "https") || o.PortalUrl.EndsWith('/'))
            {
                failures.Add($"{Section}:PortalUrl: '{o.PortalUrl}' must be an absolute http(s) URL without a trailing slash");
            }

            if (o.AccessTokenMinutes is < 1 or > 1440)
            {
                failures.Add($"{Section}:AccessTokenMinutes must be 1..1440");
            }

            if (o.RefreshTokenDays is < 1 or > 365)
            {
                failures.Add($"{Section}:RefreshTokenDays must be 1..365");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
