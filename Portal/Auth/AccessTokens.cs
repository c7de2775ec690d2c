using HamachiCloud.Portal.Hosting;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Portal.Auth;

/// <summary>
/// A fresh access token for a Portal session: the stored one while it has more than
/// <see cref="PortalOptions.RefreshBeforeExpirySeconds"/> left, else refreshed first, one refresh
/// at a time per session (striped locks, so concurrent calls of one circuit or one browser's tabs
/// wait for the refresh in progress instead of spending the refresh token twice).
/// </summary>
public sealed class AccessTokens(TokenStore store, TokenEndpointClient endpoint, IOptions<PortalOptions> options, TimeProvider clock)
{
    private readonly SemaphoreSlim[] _locks = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <exception cref="SessionEndedException">No tokens for the session, or the Api refused the refresh.</exception>
    public async Task<string> GetAsync(string sessionId, CancellationToken ct)
    {
        var tokens = await store.GetAsync(sessionId, ct) ?? throw new SessionEndedException();
        if (!NeedsRefresh(tokens))
        {
            return tokens.AccessToken;
        }

        var gate = _locks[(int)((uint)StringComparer.Ordinal.GetHashCode(sessionId) % (uint)_locks.Length)];
        await gate.WaitAsync(ct);
        try
        {
            // Another caller may have refreshed while this one waited.
            tokens = await store.GetAsync(sessionId, ct) ?? throw new SessionEndedException();
            if (!NeedsRefresh(tokens))
            {
                return tokens.AccessToken;
            }

            if (tokens.RefreshToken is null)
            {
                if (tokens.ExpiresAt > clock.GetUtcNow())
                {
                    return tokens.AccessToken;
                }

                throw new SessionEndedException("the access token expired and there is no refresh token; sign in again");
            }

            var refreshed = await endpoint.RefreshAsync(tokens.RefreshToken, tokens.IdToken, ct);
            if (refreshed is null)
            {
                await store.RemoveAsync(sessionId, ct);
                throw new SessionEndedException("the Api refused to refresh the session; sign in again");
            }

            await store.SetAsync(sessionId, refreshed, ct);
            return refreshed.AccessToken;
        }
        finally
        {
            gate.Release();
        }
    }

    private bool NeedsRefresh(TokenSet tokens) =>
        tokens.ExpiresAt - clock.GetUtcNow() < TimeSpan.FromSeconds(options.Value.RefreshBeforeExpirySeconds);
}
