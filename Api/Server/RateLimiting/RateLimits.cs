using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using HamachiCloud.Api.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace HamachiCloud.Api.RateLimiting;

/// <summary>
/// ASP.NET Core rate limiting on shared counters (<see cref="IRateCounter"/>): endpoint policies per client address
/// (registration, account recovery, sign-in posts) and a global limit per personal API token. A refusal is a 429
/// problem (<c>rate_limited</c>) with <c>Retry-After</c>, counted by <see cref="RateLimitRefusals"/>. Wrong-answer
/// limits (device codes, network passwords, setup keys, personal tokens) are <see cref="GuessLimits"/>; the
/// sign-in lockout is <see cref="AccountLockout"/>.
/// </summary>
internal static class RateLimits
{
    public const string Registration = "registration";

    /// <summary>Confirm email, resend confirmation, forgot and reset password: one budget per address.</summary>
    public const string AccountRecovery = "account-recovery";

    /// <summary>Sign-in form posts (password and second factor) per address.</summary>
    public const string SignIn = "sign-in";

    /// <summary>Requests per personal API token (global limiter).</summary>
    public const string PersonalToken = "personal-token";

    public static IServiceCollection AddHamachiRateLimits(this IServiceCollection services, RateLimitOptions limits)
    {
        services.AddSingleton<RateLimitRefusals>();
        services.AddScoped<GuessLimits>();
        services.AddScoped<AccountLockout>();
        services.AddHealthChecks().AddCheck<RateLimitRefusals>("rate-limits");
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Registration, ctx => PerAddress(ctx, Registration, limits.RegistrationsPerMinute));
            o.AddPolicy(AccountRecovery, ctx => PerAddress(ctx, AccountRecovery, limits.AccountRecoveryPerMinute));
            o.AddPolicy(SignIn, ctx => PerAddress(ctx, SignIn, limits.SignInsPerMinute));
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx =>
                PersonalTokenHash(ctx) is { } hash
                    ? Partition(ctx, PersonalToken, "token:" + hash, limits.PersonalTokenRequestsPerMinute)
                    : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = WriteRefusalAsync;
        });
        return services;
    }

    /// <summary>
    /// The partition key of a client address: "addr:" and the address, IPv4-mapped IPv6 as IPv4, other IPv6 cut to
    /// its /64 (one subscriber's block), "addr:unknown" without one.
    /// </summary>
    public static string AddressKey(IPAddress? address) => HamachiCloud.Api.SignIn.SignInThrottle.AddressKey(address);

    /// <summary>A 429 <c>rate_limited</c> problem with <c>Retry-After</c> (thrown by the wrong-answer limits and the lockout).</summary>
    public static ApiProblemException TooMany(string detail, TimeSpan retryAfter) =>
        new(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, detail) { RetryAfter = retryAfter };

    /// <summary>Whole seconds, rounded up, at least 1 (the <c>Retry-After</c> value).</summary>
    public static int Seconds(TimeSpan wait) => (int)Math.Ceiling(Math.Max(wait.TotalSeconds, 1));

    private static RateLimitPartition<string> PerAddress(HttpContext ctx, string limit, int perMinute) =>
        Partition(ctx, limit, AddressKey(ctx.Connection.RemoteIpAddress), perMinute);

    private static RateLimitPartition<string> Partition(HttpContext ctx, string limit, string key, int perMinute) =>
        RateLimitPartition.Get(limit + "|" + key, _ => new CounterRateLimiter(
            ctx.RequestServices.GetRequiredService<IRateCounter>(), limit, key, perMinute, TimeSpan.FromMinutes(1)));

    /// <summary>The hash of a personal API token in the Authorization header (one token = one partition), or null.</summary>
    private static string? PersonalTokenHash(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer " + SecretTokens.ApiTokenPrefix, StringComparison.Ordinal)
            ? SecretTokens.Hash(header["Bearer ".Length..].Trim())
            : null;
    }

    private static async ValueTask WriteRefusalAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var limit = context.Lease.TryGetMetadata(MetadataName.ReasonPhrase, out var name) && name is not null ? name : "unknown";
        var partition = limit == PersonalToken ? "a personal API token" : AddressKey(http.Connection.RemoteIpAddress);
        http.RequestServices.GetRequiredService<RateLimitRefusals>().Count(limit, partition, retryAfter);

        var seconds = Seconds(retryAfter);
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests",
            Detail = limit == PersonalToken
                ? $"too many requests with this API token; try again in {seconds} s"
                : $"too many requests ({limit}) from this address; try again in {seconds} s",
        };
        problem.Extensions["code"] = ErrorCodes.RateLimited;
        problem.Extensions["limit"] = limit;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
