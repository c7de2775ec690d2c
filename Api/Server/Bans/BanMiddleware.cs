using Microsoft.AspNetCore.Mvc;

namespace HamachiCloud.Api.Bans;

/// <summary>
/// Refuses every request from a banned range (REST, identity endpoints, sign-in) with a 403
/// problem, code <c>banned</c>. /health stays open for load balancers. The address is the
/// client's: behind a configured proxy (<c>Proxy</c> section) the forwarded-headers middleware
/// ahead of this one has already replaced the proxy's address.
/// </summary>
internal sealed class BanMiddleware(RequestDelegate next, BanList bans)
{
    public async Task InvokeAsync(HttpContext ctx, IProblemDetailsService problems)
    {
        if (!ctx.Request.Path.StartsWithSegments("/health")
            && await bans.FindAsync(ctx.Connection.RemoteIpAddress, ctx.RequestAborted) is { } ban)
        {
            ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
            var problem = new ProblemDetails { Status = 403, Title = "Forbidden", Detail = $"your address is in a banned range ({ban.Range}): {ban.Reason}" };
            problem.Extensions["code"] = ErrorCodes.Banned;
            await problems.WriteAsync(new ProblemDetailsContext { HttpContext = ctx, ProblemDetails = problem });
            return;
        }

        await next(ctx);
    }
}
