using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer hc_pat_…</c> personal API tokens by their hash. A
/// revoked, expired or unknown token fails; nothing about which is revealed to the caller.
/// </summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    HamachiDbContext db,
    TimeProvider clock,
    RateLimiting.GuessLimits guesses,
    IOptions<RateLimiting.RateLimitOptions> limits)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer " + SecretTokens.ApiTokenPrefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.NoResult();
        }

        // Wrong tokens are limited per client address (shared across nodes), checked before the lookup: a 429 problem.
        string[] guessKeys = [RateLimiting.RateLimits.AddressKey(Context.Connection.RemoteIpAddress)];
        await guesses.CheckAsync(RateLimiting.GuessLimits.PersonalTokenGuess, limits.Value.PersonalTokenGuessesPerMinute, guessKeys, "API tokens", Context.RequestAborted);
        var hash = SecretTokens.Hash(header["Bearer ".Length..].Trim());
        var now = clock.GetUtcNow();
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.TokenHash == hash, Context.RequestAborted);
        if (token is null || token.RevokedAt is not null || token.ExpiresAt <= now)
        {
            await guesses.WrongAsync(RateLimiting.GuessLimits.PersonalTokenGuess, guessKeys, Context.RequestAborted);
            return AuthenticateResult.Fail("invalid, expired or revoked API token");
        }

        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            token.LastUsedAt = now;
            await db.SaveChangesAsync(Context.RequestAborted);
        }

        var identity = new ClaimsIdentity(AuthSchemes.ApiToken, AuthSchemes.SubjectClaim, null);
        identity.AddClaim(new Claim(AuthSchemes.SubjectClaim, token.UserId.ToString()));
        foreach (var scope in token.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            identity.AddClaim(new Claim(AuthSchemes.ScopeClaim, scope));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), AuthSchemes.ApiToken));
    }
}
