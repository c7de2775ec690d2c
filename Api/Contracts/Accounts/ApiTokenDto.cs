namespace HamachiCloud.Api.Contracts.Accounts;

/// <summary>A personal API token without its secret.</summary>
public sealed record ApiTokenDto(
    Guid Id,
    string Name,
    string Prefix,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt);
