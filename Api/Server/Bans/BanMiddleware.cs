using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace HamachiCloud.Api.Bans;

/// <summary>
/// Refuses every request from a banned range (REST, identity endpoints, sign-in) with a 403
/// problem, code <c>banned</c>. /health stays open for load balancers. The address is the
/// client's: behind a configured proxy (<c>Proxy</c> section) the forwarded-headers middleware
/// ahead of this one has already replaced the proxy's address.
/// A ban never locks out the ones who repair it: relay heartbeats (the endpoint checks the relays'
/// shared secret itself) and requests whose bearer token belongs to a staff account pass. Stripe's
/// webhook passes too (it checks the signature itself): a wide ban must not stop payments.
/// </summary>
internal sealed class BanMiddleware(RequestDelegate next, BanList bans)
{
    /// <summary>Where a banned API request with a bearer token waits for <see cref="AfterAuthentication"/>.</summary>
    private static readonly object PendingBan = new();

    public async Task InvokeAsync(HttpContext ctx, IProblemDetailsService problems)
    {
        if (ctx.Request.Path.StartsWithSegments("/health")
            || ctx.Request.Path.StartsWithSegments("/api/v1/relays/heartbeat")
            || ctx.Request.Path.StartsWithSegments(Billing.BillingEndpoints.WebhookPath)
            || await bans.FindAsync(ctx.Connection.RemoteIpAddress, ctx.RequestAborted) is not { } ban)
        {
            await next(ctx);
            return;
        }

        // A REST call with a bearer token may be staff's: decided once the token is validated (the
        // endpoint runs after that). Everything else from the range (sign-in, tokens) stops here.
        if (ctx.Request.Path.StartsWithSegments("/api") && ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            ctx.Items[PendingBan] = ban;
            await next(ctx);
            return;
        }

        await RefuseAsync(ctx, problems, ban);
    }

    /// <summary>Runs after authentication: a pending ban passes only a staff account's token.</summary>
    public static async Task AfterAuthentication(HttpContext ctx, RequestDelegate next)
    {
        if (ctx.Items.TryGetValue(PendingBan, out var pending) && pending is ValueTuple<IPNetwork, string> ban && !await IsStaffAsync(ctx))
        {
            await RefuseAsync(ctx, ctx.RequestServices.GetRequiredService<IProblemDetailsService>(), ban);
            return;
        }

        await next(ctx);
    }

    private static async Task RefuseAsync(HttpContext ctx, IProblemDetailsService problems, (IPNetwork Range, string Reason) ban)
    {
        ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
        var problem = new ProblemDetails { Status = 403, Title = "Forbidden", Detail = $"your address is in a banned range ({ban.Range}): {ban.Reason}" };
        problem.Extensions["code"] = ErrorCodes.Banned;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = ctx, ProblemDetails = problem });
    }

    /// <summary>Whether the validated caller (OAuth or personal token) is a staff account.</summary>
    private static async Task<bool> IsStaffAsync(HttpContext ctx)
    {
        var result = await ctx.AuthenticateAsync(Auth.AuthSchemes.Bearer);
        var sub = result.Principal?.FindFirstValue(Auth.AuthSchemes.SubjectClaim) ?? result.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        if (!result.Succeeded || sub is null)
        {
            return false;
        }

        var users = ctx.RequestServices.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<HamachiCloud.Data.Entities.User>>();
        var user = await users.FindByIdAsync(sub);
        return user is not null && await ctx.RequestServices.GetRequiredService<Auth.StaffAccess>().IsStaffAsync(user);
    }
}
