using HamachiCloud.Api.RateLimiting;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Members;

/// <summary>
/// Join attempts per account (REST and the agents' hub alike): a network id is nine digits, so
/// without a budget one account could scan for open networks. Every attempt counts, joined or refused;
/// counted in the shared <see cref="IRateCounter"/> (one budget across Api nodes when Redis is configured).
/// </summary>
internal sealed class JoinThrottle(IRateCounter counter, RateLimitRefusals refusals, IOptions<RateLimitOptions> options)
{
    public const string Limit = "join";

    /// <summary>Takes one attempt from the account's budget or refuses with 429 <c>rate_limited</c> and <c>Retry-After</c>.</summary>
    public async ValueTask TakeAsync(Guid userId, CancellationToken ct)
    {
        var key = "user:" + userId.ToString("N");
        var hit = await counter.HitAsync(Limit + ":" + key, TimeSpan.FromMinutes(1), ct);
        if (hit.Count > options.Value.JoinsPerMinute)
        {
            refusals.Count(Limit, key, hit.EndsIn);
            throw RateLimits.TooMany(
                $"too many join attempts from this account (at most {options.Value.JoinsPerMinute} a minute); wait a minute and check the network id", hit.EndsIn);
        }
    }
}
