using Microsoft.Extensions.Options;

namespace HamachiCloud.Portal.Hosting;

/// <summary>
/// Section <c>Portal</c>: where the Api is, where the Portal is reached, and the sign-in session.
/// Validated at start; a bad value stops the process and names the key.
/// </summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>
    /// The Api's root URL (no trailing slash): the OpenID Connect authority (<c>/connect/*</c>,
    /// discovery) and the REST base (<c>/api/v1</c>).
    /// </summary>
    public string ApiUrl { get; set; } = "http://127.0.0.1:5180";

    /// <summary>
    /// The Portal's public base URL as browsers reach it (no trailing slash). The sign-in and
    /// sign-out callbacks (<c>/signin-oidc</c>, <c>/signout-callback-oidc</c>) are built from it and
    /// must be registered at the Api (<c>Identity:PortalRedirectUris</c>, <c>Identity:PortalPostLogoutRedirectUris</c>).
    /// </summary>
    public string PublicUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The OAuth client id the Api registers for the Portal (public client, code + PKCE).</summary>
    public string ClientId { get; set; } = "hamachi-portal";

    /// <summary>
    /// Allow an http:// authority that is not on loopback (a private test network). Loopback http
    /// is always allowed; anything else needs https unless this is set. Never in production.
    /// </summary>
    public bool AllowHttpAuthority { get; set; }

    /// <summary>How long a sign-in lasts without use (sliding), in hours.</summary>
    public int SessionHours { get; set; } = 8;

    /// <summary>An access token with less than this left is refreshed before a call, in seconds.</summary>
    public int RefreshBeforeExpirySeconds { get; set; } = 120;

    /// <summary>Timeout of one call to the Api, in seconds.</summary>
    public int ApiTimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// Where the data-protection keys (cookie encryption) are kept; empty = the user profile's
    /// default. Share it between Portal nodes (with a shared token store, see README).
    /// </summary>
    public string? KeyDirectory { get; set; }

    /// <summary>The Api root as a URI with a trailing slash (for relative paths).</summary>
    public Uri ApiBase => new(ApiUrl.TrimEnd('/') + "/");

    /// <summary>True when <see cref="ApiUrl"/> is plain http on a loopback host.</summary>
    public bool ApiIsLoopbackHttp =>
        Uri.TryCreate(ApiUrl, UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttp && u.IsLoopback;

    internal sealed class Validator : IValidateOptions<PortalOptions>
    {
        public ValidateOptionsResult Validate(string? name, PortalOptions o)
        {
            var failures = new List<string>();
            CheckUrl(failures, nameof(ApiUrl), o.ApiUrl);
            CheckUrl(failures, nameof(PublicUrl), o.PublicUrl);
            if (Uri.TryCreate(o.ApiUrl, UriKind.Absolute, out var api) && api.Scheme == Uri.UriSchemeHttp && !api.IsLoopback && !o.AllowHttpAuthority)
            {
                failures.Add($"{Section}:ApiUrl: '{o.ApiUrl}' is plain http on a non-loopback host; use https or set {Section}:AllowHttpAuthority=true (never in production)");
            }

            if (string.IsNullOrWhiteSpace(o.ClientId))
            {
                failures.Add($"{Section}:ClientId is required");
            }

            if (o.SessionHours is < 1 or > 720)
            {
                failures.Add($"{Section}:SessionHours must be 1..720 (got {o.SessionHours})");
            }

            if (o.RefreshBeforeExpirySeconds is < 10 or > 3600)
            {
                failures.Add($"{Section}:RefreshBeforeExpirySeconds must be 10..3600 (got {o.RefreshBeforeExpirySeconds})");
            }

            if (o.ApiTimeoutSeconds is < 1 or > 300)
            {
                failures.Add($"{Section}:ApiTimeoutSeconds must be 1..300 (got {o.ApiTimeoutSeconds})");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        private static void CheckUrl(List<string> failures, string key, string? value)
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || value.EndsWith('/') || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            {
                failures.Add($"{Section}:{key}: '{value}' must be an absolute http(s) URL without a trailing slash, query or fragment");
            }
        }
    }
}
