using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace HamachiCloud.Api.Accounts;

/// <summary>Rate limits per client address on abuse-prone endpoints (registration, account recovery).</summary>
internal static class RateLimits
{
    public const string Registration = "registration";

    /// <summary>Confirm email, resend confirmation, forgot and reset password: one budget per address.</summary>
    public const string AccountRecovery = "account-recovery";

    public static IServiceCollection AddHamachiRateLimits(this IServiceCollection services, RateLimitOptions limits)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Registration, ctx => PerAddress(ctx, limits.RegistrationsPerMinute));
            o.AddPolicy(AccountRecovery, ctx => PerAddress(ctx, limits.AccountRecoveryPerMinute));
        });
        return services;
    }

    private static RateLimitPartition<string> PerAddress(HttpContext ctx, int perMinute) => RateLimitPartition.GetFixedWindowLimiter(
        ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
        _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1) });
}
