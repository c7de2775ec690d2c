namespace HamachiCloud.Portal.Hosting;

/// <summary>
/// Security headers and the Content-Security-Policy: scripts only from the Portal itself (Blazor's
/// and MudBlazor's files, no inline script), the circuit's WebSocket to the same origin, inline
/// styles (MudBlazor sets style attributes and theme variables), forms posting to the Portal and to
/// the Api (sign-in and sign-out continue there), no framing.
/// </summary>
internal static class SecurityHeaders
{
    public static void Configure(HeaderPolicyCollection policy, PortalOptions portal)
    {
        var api = new Uri(portal.ApiUrl).GetLeftPart(UriPartial.Authority);
        policy.AddDefaultSecurityHeaders()
            .AddContentSecurityPolicy(csp =>
            {
                csp.AddDefaultSrc().Self();
                csp.AddScriptSrc().Self();
                csp.AddStyleSrc().Self().UnsafeInline();
                csp.AddImgSrc().Self().Data();
                csp.AddFontSrc().Self().Data();
                csp.AddConnectSrc().Self();
                csp.AddFormAction().Self().From(api);
                csp.AddFrameAncestors().None();
                csp.AddObjectSrc().None();
                csp.AddBaseUri().Self();
            });
    }
}
