namespace HamachiCloud.Api.Contracts.SetupKeys;

/// <summary>A setup key without its secret.</summary>
public sealed record SetupKeyDto(
    Guid Id,
    string Name,
    string Prefix,
    bool Reusable,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    int UsageCount,
    DateTimeOffset? RevokedAt);
