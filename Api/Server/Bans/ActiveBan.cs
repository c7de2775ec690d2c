using System.Net;

namespace HamachiCloud.Api.Bans;

/// <summary>
/// One acting ban as this node holds it in memory (<see cref="BanList"/>): what it holds, where it acts, its
/// exemptions and public reason. The staff note is not loaded: nothing on the enforcement path may show it.
/// </summary>
internal sealed record ActiveBan(
    Guid Id,
    BanKind Kind,
    IPNetwork? Range,
    Guid? UserId,
    Guid? DeviceId,
    string Reason,
    BanScope Scope,
    bool ExemptPaidAccounts,
    int? ExemptAccountsOlderThanDays,
    DateTimeOffset? ExpiresAt)
{
    public bool ActsAt(BanScope scope, DateTimeOffset now) => (Scope & scope) != 0 && (ExpiresAt is null || ExpiresAt > now);

    public bool HasExemptions => Kind == BanKind.Range && (ExemptPaidAccounts || ExemptAccountsOlderThanDays is not null);

    /// <summary>Whether an account in <paramref name="standing"/> is spared by this range ban's exemptions.</summary>
    public bool Exempts(AccountStanding standing, DateTimeOffset now) =>
        Kind == BanKind.Range
        && ((ExemptPaidAccounts && standing.Paid)
            || (ExemptAccountsOlderThanDays is { } days && !standing.EverBanned && standing.CreatedAt <= now.AddDays(-days)));

    /// <summary>The text the banned user sees: what is banned and the public reason (never the staff note).</summary>
    public string Describe(IPAddress? address) => Kind switch
    {
        BanKind.Account => $"this account is banned: {Reason}",
        BanKind.Device => $"this device is banned: {Reason}",
        _ => $"your address {address} is in a banned range ({Range}): {Reason}",
    };
}

/// <summary>What range-ban exemptions look at: a paid plan in force, the account's age, whether it was ever banned.</summary>
internal sealed record AccountStanding(bool Paid, DateTimeOffset CreatedAt, bool EverBanned);
