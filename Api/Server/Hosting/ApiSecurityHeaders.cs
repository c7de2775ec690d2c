using HamachiCloud.Api.Identity;

namespace HamachiCloud.Api.Hosting;

/// <summary>
/// Security headers on every Api response (NetEscapades): nosniff, a strict referrer policy, no framing,
/// and a Content-Security-Policy for the sign-in pages: everything from the Api itself, no script at all,
/// forms to the Api and to the Portal's origins (browsers apply form-action to the redirects that follow
/// a sign-in post, which end at the Portal's /signin-oidc).
/// </summary>
internal static class ApiSecurityHeaders
{
    /// <summary>Adds the headers first in the pipeline; the API reference at /docs (Scalar's own scripts) gets them without the page CSP.</summary>
    public static void UseApiSecurityHeaders(this WebApplication app)
    {
        var identity = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityServerOptions>>().Value;
        var pages = Configure(new HeaderPolicyCollection(), identity);
        var docs = new HeaderPolicyCollection().AddDefaultSecurityHeaders();
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/docs") || c.Request.Path.StartsWithSegments("/scalar"), a => a.UseSecurityHeaders(docs));
        app.UseWhen(c => !(c.Request.Path.StartsWithSegments("/docs") || c.Request.Path.StartsWithSegments("/scalar")), a => a.UseSecurityHeaders(pages));
    }

    public static HeaderPolicyCollection Configure(HeaderPolicyCollection policy, IdentityServerOptions identity)
    {
        var portalOrigins = identity.PortalRedirectUris.Concat(identity.PortalPostLogoutRedirectUris).Append(identity.PortalUrl)
            .Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null)
            .OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
        policy.AddDefaultSecurityHeaders()
            .AddContentSecurityPolicy(csp =>
            {
                csp.AddDefaultSrc().Self();
                csp.AddScriptSrc().None();
                csp.AddStyleSrc().Self();
                csp.AddImgSrc().Self().Data();
                var forms = csp.AddFormAction().Self();
                foreach (var origin in portalOrigins)
                {
                    forms.From(origin);
                }

                csp.AddFrameAncestors().None();
                csp.AddObjectSrc().None();
                csp.AddBaseUri().None();
            });
        return policy;
    }
}
