using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Accounts;

namespace HamachiCloud.Api.Accounts;

/// <summary>Personal API tokens: scoped ("read", "write"), expiring, revocable, stored hashed.</summary>
internal sealed class ApiTokenService(HamachiDbContext db, AuditLog audit, TimeProvider clock)
{
    private static readonly string[] KnownScopes = [AuthSchemes.ReadScope, AuthSchemes.WriteScope];

    public async Task<CreatedApiToken> CreateAsync(Guid userId, CreateApiTokenRequest request, CancellationToken ct)
    {
        var scopes = (request.Scopes ?? []).Distinct(StringComparer.Ordinal).ToList();
        new Validator()
            .Name("name", request.Name)
            .Check(scopes.Count > 0, "scopes", "at least one of: read, write")
            .Check(scopes.All(KnownScopes.Contains), "scopes", $"unknown scope; known: {string.Join(", ", KnownScopes)}")
            .Range("expiresInDays", request.ExpiresInDays, 1, 365)
            .ThrowIfInvalid();
        if (await db.Users.AnyAsync(u => u.Id == userId && u.MustChangePassword, ct))
        {
            throw new ApiProblemException(403, ErrorCodes.PasswordChangeRequired, "sign in at /account/login and replace the one-time password first");
        }

        var secret = SecretTokens.Generate(SecretTokens.ApiTokenPrefix);
        var now = clock.GetUtcNow();
        var token = new ApiToken
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            Name = request.Name.Trim(),
            TokenHash = SecretTokens.Hash(secret),
            Prefix = SecretTokens.DisplayPrefix(secret),
            Scopes = string.Join(' ', scopes),
            CreatedAt = now,
            ExpiresAt = now.AddDays(request.ExpiresInDays),
        };
        db.ApiTokens.Add(token);
        audit.Record(userId, "api_token.created", "api_token", token.Id, token.Scopes);
        await db.SaveChangesAsync(ct);
        return new CreatedApiToken(ToDto(token), secret);
    }

    public async Task<List<ApiTokenDto>> ListMineAsync(Guid userId, CancellationToken ct) =>
        (await db.ApiTokens.Where(t => t.UserId == userId).ToListAsync(ct)).OrderByDescending(t => t.CreatedAt).Select(ToDto).ToList();

    public async Task RevokeAsync(Guid userId, Guid id, CancellationToken ct)
    {
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id && t.UserId == userId, ct) ?? throw ApiProblemException.NotFound("API token");
        token.RevokedAt ??= clock.GetUtcNow();
        audit.Record(userId, "api_token.revoked", "api_token", token.Id);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Revokes every personal API token of the account that is not revoked yet; returns how many.</summary>
    public async Task<int> RevokeAllAsync(Guid userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var live = await db.ApiTokens.Where(t => t.UserId == userId && t.RevokedAt == null).ToListAsync(ct);
        foreach (var token in live)
        {
            token.RevokedAt = now;
        }

        audit.Record(userId, "api_token.revoked_all", "user", userId, $"{live.Count} tokens");
        await db.SaveChangesAsync(ct);
        return live.Count;
    }

    private static ApiTokenDto ToDto(ApiToken t) =>
        new(t.Id, t.Name, t.Prefix, t.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt);
}
