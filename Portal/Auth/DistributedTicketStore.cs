using HamachiCloud.Portal.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Portal.Auth;

/// <summary>
/// Keeps the sign-in ticket (claims and properties) on the server so the browser's cookie carries
/// only the session key (<see cref="SessionClaims.SessionId"/>), protected by data protection.
/// </summary>
public sealed class DistributedTicketStore(IDistributedCache cache, IOptions<PortalOptions> options, TimeProvider clock) : ITicketStore
{
    private const string Prefix = "hamachi-portal:ticket:";

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = ticket.Principal.FindFirst(SessionClaims.SessionId)?.Value
            ?? throw new InvalidOperationException("store the sign-in ticket: the principal has no session id claim");
        await RenewAsync(key, ticket);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        var entry = new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromHours(options.Value.SessionHours) };
        if (ticket.Properties.ExpiresUtc is { } expires && expires > clock.GetUtcNow())
        {
            entry.AbsoluteExpiration = expires;
        }

        return cache.SetAsync(Prefix + key, TicketSerializer.Default.Serialize(ticket), entry);
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var bytes = await cache.GetAsync(Prefix + key);
        return bytes is null ? null : TicketSerializer.Default.Deserialize(bytes);
    }

    public Task RemoveAsync(string key) => cache.RemoveAsync(Prefix + key);

    internal static void Use(CookieAuthenticationOptions cookie, ITicketStore store) => cookie.SessionStore = store;
}
