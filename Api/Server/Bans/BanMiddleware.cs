using System.Net;
using System.Security.Claims;
using HamachiCloud.Api.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace HamachiCloud.Api.Bans;

/// <summary>
/// Enforces bans in scope <see cref="BanScope.SignInAndApi"/>: REST, identity endpoints and sign-in. A refusal is a
/// 403 problem, code <c>banned</c>, whose detail carries the ban's public reason (never the staff note), and is
/// counted as a hit. The address is the client's: behind a configured proxy (<c>Proxy</c> section) the
/// forwarded-headers middleware ahead of this one has already replaced the proxy's address.
/// <para>
/// Two steps. Before authentication: a request from a banned range with no way to know its account stops here.
/// One that may be spared waits for <see cref="AfterAuthentication"/>: a bearer token (staff pass; an exempted
/// account passes), or any request when the range ban has exemptions (the Identity cookie, or the email of a
/// sign-in form, names the account; the sign-in page itself is shown). After authentication, account bans are checked
/// for the caller the bearer token or cookie names.
/// </para>
/// A ban never locks out the ones who repair it: relay endpoints (they check the relays' shared secret themselves)
/// and staff tokens pass. Stripe's webhook passes too (it checks the signature itself): a wide ban must not stop
/// payments. The agents' hub is not judged here: its login applies the <see cref="BanScope.Control"/> scope.
/// </summary>
internal sealed class BanMiddleware(RequestDelegate next, BanList bans)
{
    /// <summary>Where a banned request that may still be spared waits for <see cref="AfterAuthentication"/>.</summary>
    private static readonly object PendingBan = new();

    public async Task InvokeAsync(HttpContext ctx, IProblemDetailsService problems)
    {
        if (ctx.Request.Path.StartsWithSegments("/health")
            || ctx.Request.Path.StartsWithSegments("/api/v1/relays")
            || ctx.Request.Path.StartsWithSegments(Billing.BillingEndpoints.WebhookPath)
            || ctx.Request.Path.StartsWithSegments(Protocol.Control.ControlProtocol.HubPath)
            || await bans.FindRangeAsync(ctx.Connection.RemoteIpAddress, BanScope.SignInAndApi, ctx.RequestAborted) is not { } ban)
        {
            await next(ctx);
            return;
        }

        if (ban.HasExemptions || (ctx.Request.Path.StartsWithSegments("/api") && HasBearer(ctx)))
        {
            ctx.Items[PendingBan] = ban;
            await next(ctx);
            return;
        }

        // Nothing could spare it (no exemptions, no token): sign-in, tokens and anonymous calls from the range stop here.
        await RefuseAsync(ctx, problems, await bans.FindAsync(ctx.Connection.RemoteIpAddress, null, null, BanScope.SignInAndApi, ctx.RequestAborted) ?? ban);
    }

    /// <summary>Runs after authentication: account bans for the caller, and a pending range ban unless staff or exempted.</summary>
    public static async Task AfterAuthentication(HttpContext ctx, RequestDelegate next)
    {
        var bans = ctx.RequestServices.GetRequiredService<BanList>();
        var pending = ctx.Items.TryGetValue(PendingBan, out var value) && value is ActiveBan;
        if (!pending && !await bans.HasIdentityBansAsync(BanScope.SignInAndApi, ctx.RequestAborted))
        {
            await next(ctx);
            return;
        }

        var (user, isStaff) = await CallerAsync(ctx);
        if (pending && isStaff)
        {
            await next(ctx);
            return;
        }

        var address = pending ? ctx.Connection.RemoteIpAddress : null;
        if (await bans.FindAsync(address, user, null, BanScope.SignInAndApi, ctx.RequestAborted) is { } ban)
        {
            // An unknown caller in a range with exemptions may still open the sign-in page to name its account.
            if (user is null && ban.Kind == BanKind.Range && ban.HasExemptions && HttpMethods.IsGet(ctx.Request.Method)
                && ctx.Request.Path.Equals("/account/login", StringComparison.OrdinalIgnoreCase))
            {
                await next(ctx);
                return;
            }

            await RefuseAsync(ctx, ctx.RequestServices.GetRequiredService<IProblemDetailsService>(), ban);
            return;
        }

        await next(ctx);
    }

    private static bool HasBearer(HttpContext ctx) => ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    private static async Task RefuseAsync(HttpContext ctx, IProblemDetailsService problems, ActiveBan ban)
    {
        ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
        var problem = new ProblemDetails { Status = 403, Title = "Forbidden", Detail = ban.Describe(ctx.Connection.RemoteIpAddress) };
        problem.Extensions["code"] = ErrorCodes.Banned;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = ctx, ProblemDetails = problem });
    }

    /// <summary>
    /// The account the request speaks for: a validated bearer token's (OAuth or personal token), else the Identity
    /// cookie's, else the email of a sign-in form (its password is checked later by the sign-in itself); and whether
    /// it is staff. Null when none names an account.
    /// </summary>
    private static async Task<(Guid? User, bool IsStaff)> CallerAsync(HttpContext ctx)
    {
        var users = ctx.RequestServices.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<User>>();
        User? user = null;
        if (HasBearer(ctx))
        {
            var result = await ctx.AuthenticateAsync(Auth.AuthSchemes.Bearer);
            var sub = result.Principal?.FindFirstValue(Auth.AuthSchemes.SubjectClaim) ?? result.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
            user = result.Succeeded && sub is not null ? await users.FindByIdAsync(sub) : null;
        }
        else
        {
            var cookie = await ctx.AuthenticateAsync(OpenIddictSetup.CookieScheme);
            if (cookie.Succeeded && cookie.Principal is not null)
            {
                user = await users.GetUserAsync(cookie.Principal);
            }
            else if (HttpMethods.IsPost(ctx.Request.Method) && ctx.Request.Path.Equals("/account/login", StringComparison.OrdinalIgnoreCase) && ctx.Request.HasFormContentType)
            {
                var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted);
                var email = form["email"].ToString();
                user = string.IsNullOrWhiteSpace(email) ? null : await users.FindByEmailAsync(email);
            }
        }

        if (user is null)
        {
            return (null, false);
        }

        return (user.Id, await ctx.RequestServices.GetRequiredService<Auth.StaffAccess>().IsStaffAsync(user));
    }
}
