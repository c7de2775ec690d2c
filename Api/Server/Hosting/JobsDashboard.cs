using System.Security.Claims;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Identity;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Hosting;

/// <summary>
/// The Hangfire dashboard at <c>/jobs</c>, for support staff and admins only, behind the Api's own sign-in: the
/// sign-in cookie of <c>/account/login</c> (what a browser coming from the Portal has) or a bearer token. Nobody signed
/// in is sent to the sign-in page (a browser) or gets 401; a signed-in account that is not staff (or is disabled, or
/// is staff without the required two-factor authentication) gets 403. The gate runs before the dashboard, and the
/// dashboard's own filter admits only requests the gate passed.
/// </summary>
internal static class JobsDashboard
{
    public const string Path = "/jobs";
    private static readonly object Passed = new();

    public static void UseJobsDashboard(this WebApplication app)
    {
        app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments(Path), branch => branch.Use(GateAsync));
        app.UseHangfireDashboard(Path, new DashboardOptions
        {
            DashboardTitle = "HamachiCloud jobs",
            AppPath = null,
            Authorization = [new PassedFilter()],
        });
    }

    private static async Task GateAsync(HttpContext ctx, RequestDelegate next)
    {
        var principal = await SignedInAsync(ctx);
        if (principal is null)
        {
            if (HttpMethods.IsGet(ctx.Request.Method) && ctx.Request.Headers.Authorization.Count == 0)
            {
                ctx.Response.Redirect("/account/login?ReturnUrl=" + Uri.EscapeDataString(ctx.Request.PathBase + ctx.Request.Path + ctx.Request.QueryString));
                return;
            }

            ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (!await IsStaffAsync(ctx, principal))
        {
            ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
            await ctx.Response.WriteAsync("the jobs dashboard is for support staff only");
            return;
        }

        ctx.User = principal;
        ctx.Items[Passed] = true;
        await next(ctx);
    }

    private static async Task<ClaimsPrincipal?> SignedInAsync(HttpContext ctx)
    {
        var scheme = ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? AuthSchemes.Bearer
            : OpenIddictSetup.CookieScheme;
        var result = await ctx.AuthenticateAsync(scheme);
        return result.Succeeded ? result.Principal : null;
    }

    private static async Task<bool> IsStaffAsync(HttpContext ctx, ClaimsPrincipal principal)
    {
        var sub = principal.FindFirstValue(AuthSchemes.SubjectClaim) ?? principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var users = ctx.RequestServices.GetRequiredService<UserManager<User>>();
        if (sub is null || await users.FindByIdAsync(sub) is not { DisabledAt: null } user)
        {
            return false;
        }

        var identity = ctx.RequestServices.GetRequiredService<IOptions<IdentityServerOptions>>().Value;
        return await ctx.RequestServices.GetRequiredService<StaffAccess>().IsStaffAsync(user)
            && (!identity.RequireTwoFactorForStaff || user.TwoFactorEnabled);
    }

    /// <summary>Hangfire's own check: only what <see cref="GateAsync"/> passed (deny otherwise).</summary>
    private sealed class PassedFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().Items.ContainsKey(Passed);
    }
}
