namespace HamachiCloud.Api.Contracts.Bans;

/// <summary>
/// PUT /api/v1/bans/{id} (support staff): replaces the editable fields of an active ban (what it holds does not
/// change: lift it and ban again). <see cref="ExpiresAt"/> null: until lifted. Exemptions apply to range bans only.
/// </summary>
public sealed record UpdateBanRequest(
    string Reason,
    string? StaffNote = null,
    DateTimeOffset? ExpiresAt = null,
    BanScopes Scope = BanScopes.All,
    bool ExemptPaidAccounts = false,
    int? ExemptAccountsOlderThanDays = null);
