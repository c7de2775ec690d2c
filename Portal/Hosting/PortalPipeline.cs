using HamachiCloud.Portal.Auth;
using HamachiCloud.Portal.Components;

namespace HamachiCloud.Portal.Hosting;

/// <summary>The middleware order and the endpoints of the Portal.</summary>
internal static class PortalPipeline
{
    public static void UseHamachiPortal(this WebApplication app)
    {
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            // A failed static render (first request of a page) gets the error page, with a reference.
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found");
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapStaticAssets();
        app.MapAccountEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
