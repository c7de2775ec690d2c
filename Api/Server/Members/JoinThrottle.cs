using System.Threading.RateLimiting;
using HamachiCloud.Api.Accounts;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Members;

/// <summary>
/// Join attempts per account (REST and the agents' hub alike): a network id is nine digits, so
/// without a budget one account could scan for open networks. Counted per Api node (a cluster of
/// N nodes allows up to N times the budget); every attempt counts, joined or refused.
/// </summary>
internal sealed class JoinThrottle(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<Guid> _limiter = PartitionedRateLimiter.Create<Guid, Guid>(user =>
        RateLimitPartition.GetFixedWindowLimiter(user, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.JoinsPerMinute,
            Window = TimeSpan.FromMinutes(1),
        }));

    /// <summary>Takes one attempt from the account's budget or refuses with 429 <c>rate_limited</c>.</summary>
    public void Take(Guid userId)
    {
        using var lease = _limiter.AttemptAcquire(userId);
        if (!lease.IsAcquired)
        {
            throw new ApiProblemException(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                $"too many join attempts from this account (at most {options.Value.JoinsPerMinute} a minute); wait a minute and check the network id");
        }
    }

    public void Dispose() => _limiter.Dispose();
}
