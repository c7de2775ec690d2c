namespace HamachiCloud.Api.Contracts.Bans;

/// <summary>
/// A ban (support staff only): a range (<see cref="Cidr"/>), an account (<see cref="UserId"/>) or a device
/// (<see cref="DeviceId"/>), per <see cref="Kind"/>. <see cref="Reason"/> is what the banned user sees;
/// <see cref="StaffNote"/> never leaves the staff API. A lifted ban stays listed (<see cref="LiftedAt"/>) with
/// its hit count: how many requests, logins, live sessions and relayed flows it refused.
/// </summary>
public sealed record BanDto(
    Guid Id,
    string? Cidr,
    string Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    Guid? CreatedById,
    BanTarget Kind = BanTarget.Range,
    Guid? UserId = null,
    Guid? DeviceId = null,
    string? StaffNote = null,
    BanScopes Scope = BanScopes.All,
    bool ExemptPaidAccounts = false,
    int? ExemptAccountsOlderThanDays = null,
    long HitCount = 0,
    DateTimeOffset? LastHitAt = null,
    DateTimeOffset? LiftedAt = null,
    Guid? LiftedById = null,
    DateTimeOffset? UpdatedAt = null,
    string? UserEmail = null)
{
    /// <summary>Acting now: neither lifted nor expired at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => LiftedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
