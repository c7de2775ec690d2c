using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace HamachiCloud.Api.Accounts;

/// <summary>Rate limits per client address on abuse-prone endpoints (registration, sign-in).</summary>
internal static class RateLimits
{
    public const string Registration = "registration";

    public static IServiceCollection AddHamachiRateLimits(this IServiceCollection services, int registrationsPerMinute)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Registration, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = registrationsPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });
        return services;
    }
}
