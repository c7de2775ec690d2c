using System.Text.Json;
using HamachiCloud.Portal.Hosting;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Portal.Auth;

/// <summary>
/// Access, refresh and id tokens per Portal session (<see cref="SessionClaims.SessionId"/>), in an
/// <see cref="IDistributedCache"/>: in memory by default (one Portal node; a restart signs everyone
/// out), Redis in production with several nodes. Entries slide with use and end with the session.
/// </summary>
public sealed class TokenStore(IDistributedCache cache, IOptions<PortalOptions> options)
{
    private const string Prefix = "hamachi-portal:tokens:";

    public async Task<TokenSet?> GetAsync(string sessionId, CancellationToken ct)
    {
        var bytes = await cache.GetAsync(Prefix + sessionId, ct);
        return bytes is null ? null : JsonSerializer.Deserialize<TokenSet>(bytes);
    }

    public Task SetAsync(string sessionId, TokenSet tokens, CancellationToken ct) =>
        cache.SetAsync(Prefix + sessionId, JsonSerializer.SerializeToUtf8Bytes(tokens), new DistributedCacheEntryOptions
        {
            SlidingExpiration = TimeSpan.FromHours(options.Value.SessionHours),
        }, ct);

    public Task RemoveAsync(string sessionId, CancellationToken ct) => cache.RemoveAsync(Prefix + sessionId, ct);
}
