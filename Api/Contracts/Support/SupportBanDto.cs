namespace HamachiCloud.Api.Contracts.Support;

/// <summary>A ban that touches an account (its own, one of its devices', or a range covering an address it signed in from); <see cref="Why"/> says which.</summary>
public sealed record SupportBanDto(
    Guid Id,
    string Kind,
    string? Cidr,
    string Reason,
    string? StaffNote,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LiftedAt,
    long HitCount,
    string Why);
