using System.Net;
using HamachiCloud.Api.Contracts.Bans;

namespace HamachiCloud.Portal.Components.Support;

/// <summary>
/// The "New ban" form's fields and the checks made before the Api is asked (it checks everything again): a CIDR for a
/// range, an id for an account or a device, a reason, at least one scope. Exemptions only for ranges.
/// </summary>
public sealed class BanForm
{
    public BanTarget Kind { get; set; } = BanTarget.Range;

    /// <summary>The CIDR (range) or the account's or device's id.</summary>
    public string Target { get; set; } = "";

    public string Reason { get; set; } = "";

    public string? StaffNote { get; set; }

    /// <summary>Hours until it expires; 0: until lifted.</summary>
    public int ExpiresInHours { get; set; }

    public bool SignInAndApi { get; set; } = true;

    public bool Control { get; set; } = true;

    public bool Relays { get; set; } = true;

    public bool ExemptPaidAccounts { get; set; }

    public int? ExemptAccountsOlderThanDays { get; set; }

    public BanScopes Scope =>
        (SignInAndApi ? BanScopes.SignInAndApi : BanScopes.None) | (Control ? BanScopes.Control : BanScopes.None) | (Relays ? BanScopes.Relays : BanScopes.None);

    /// <summary>Field → message for what is wrong before sending; empty when it can be sent.</summary>
    public Dictionary<string, string> Check()
    {
        var errors = new Dictionary<string, string>();
        var target = Target.Trim();
        if (Kind == BanTarget.Range ? !IPNetwork.TryParse(target, out _) : !Guid.TryParse(target, out _))
        {
            errors["target"] = Kind == BanTarget.Range ? "Enter a range such as 198.51.100.0/24 or 2001:db8::/32" : "Enter the id (a GUID)";
        }

        if (string.IsNullOrWhiteSpace(Reason))
        {
            errors["reason"] = "The reason the banned user sees is required";
        }

        if (Scope == BanScopes.None)
        {
            errors["scope"] = "Choose at least one place to enforce it";
        }

        if (ExemptAccountsOlderThanDays is < 1 or > 3650)
        {
            errors["exemptAccountsOlderThanDays"] = "Between 1 and 3650 days, or empty";
        }

        return errors;
    }

    public CreateBanRequest ToRequest(bool confirm)
    {
        var target = Target.Trim();
        var range = Kind == BanTarget.Range;
        return new CreateBanRequest(
            range ? target : null,
            Reason.Trim(),
            ExpiresInHours > 0 ? ExpiresInHours : null,
            confirm,
            Kind,
            Kind == BanTarget.Account ? Guid.Parse(target) : null,
            Kind == BanTarget.Device ? Guid.Parse(target) : null,
            string.IsNullOrWhiteSpace(StaffNote) ? null : StaffNote.Trim(),
            Scope,
            range && ExemptPaidAccounts,
            range ? ExemptAccountsOlderThanDays : null);
    }
}
