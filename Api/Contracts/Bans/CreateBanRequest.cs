namespace HamachiCloud.Api.Contracts.Bans;

/// <summary>
/// POST /api/v1/bans (support staff). <see cref="Kind"/> says what is banned: <see cref="Cidr"/> (range),
/// <see cref="UserId"/> (account) or <see cref="DeviceId"/> (device); the others must be empty. No expiry:
/// until lifted. <see cref="Reason"/> is shown to the banned user, <see cref="StaffNote"/> only to staff.
/// Exemptions (range bans only): accounts on a paid plan, and/or accounts older than
/// <see cref="ExemptAccountsOlderThanDays"/> days that were never banned. A range wider than
/// <c>Bans:WidestIPv4PrefixLength</c> / <c>WidestIPv6PrefixLength</c>, or one holding the caller's own
/// address or a live relay's, is refused (400 <c>ban_needs_confirmation</c>, the reasons in the detail)
/// unless <see cref="Confirm"/> is true: the second confirmation.
/// </summary>
public sealed record CreateBanRequest(
    string? Cidr,
    string Reason,
    int? ExpiresInHours = null,
    bool Confirm = false,
    BanTarget Kind = BanTarget.Range,
    Guid? UserId = null,
    Guid? DeviceId = null,
    string? StaffNote = null,
    BanScopes Scope = BanScopes.All,
    bool ExemptPaidAccounts = false,
    int? ExemptAccountsOlderThanDays = null);
