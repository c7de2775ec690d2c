using Microsoft.AspNetCore.Identity;

namespace HamachiCloud.Data.Entities;

/// <summary>An account: a person who signs in, owns devices and networks.</summary>
public class User : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The Stripe customer (cus_…) created at the first checkout; null before.</summary>
    public string? StripeCustomerId { get; set; }

    /// <summary>
    /// The password is a one-time password (the first admin's, printed on the console): signing in
    /// with it only leads to the change-password page; no code, token or device approval until changed.
    /// </summary>
    public bool MustChangePassword { get; set; }

    /// <summary>When the one-time password stops working (null: it does not expire).</summary>
    public DateTimeOffset? OneTimePasswordExpiresAt { get; set; }

    /// <summary>When support staff disabled the account (null: enabled). A disabled account cannot sign in, call the API or log in agents.</summary>
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>The reason given when the account was disabled (shown to the user).</summary>
    public string? DisabledReason { get; set; }
}
