namespace HamachiCloud.Api.Contracts.SetupKeys;

/// <summary>
/// A setup key without its secret. <see cref="Networks"/>: the networks an enrolled device takes
/// part in (ids of networks that still exist); empty: all of the account's networks.
/// </summary>
public sealed record SetupKeyDto(
    Guid Id,
    string Name,
    string Prefix,
    bool Reusable,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    int UsageCount,
    DateTimeOffset? RevokedAt,
    IReadOnlyList<Guid>? Networks = null);
