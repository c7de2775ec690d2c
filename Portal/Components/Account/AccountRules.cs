using System.Net.Mail;
using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Portal.Components.Account;

/// <summary>
/// The account forms' own checks, shown next to each field before anything is sent. The limits are
/// the Api's (email at most 254 characters, password 10..256, display name like a network name);
/// the Api checks again and its field errors land on the same fields.
/// </summary>
public static class AccountRules
{
    public const int MaxEmailLength = 254;
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 256;
    public const int MaxDisplayNameLength = NetworkLimits.MaxNameLength;

    public static string? EmailError(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return "Enter your email address.";
        }

        var e = email.Trim();
        if (e.Length > MaxEmailLength)
        {
            return $"At most {MaxEmailLength} characters (this is {e.Length}).";
        }

        return MailAddress.TryCreate(e, out var a) && a.Address == e && e.Contains('@', StringComparison.Ordinal)
            ? null
            : "Enter an email address like name@example.com.";
    }

    public static string? DisplayNameError(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "Enter the name others will see.";
        }

        var n = name.Trim();
        if (n.Length > MaxDisplayNameLength)
        {
            return $"At most {MaxDisplayNameLength} characters (this is {n.Length}).";
        }

        return n.Any(char.IsControl) ? "No control characters." : null;
    }

    /// <summary>A new password: 10 to 256 characters (the Api may add its own rules).</summary>
    public static string? NewPasswordError(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "Enter a password.";
        }

        if (password.Length < MinPasswordLength)
        {
            return $"At least {MinPasswordLength} characters (this is {password.Length}).";
        }

        return password.Length > MaxPasswordLength ? $"At most {MaxPasswordLength} characters (this is {password.Length})." : null;
    }

    public static string? ConfirmError(string? password, string? confirm)
    {
        if (string.IsNullOrEmpty(confirm))
        {
            return "Type the password again.";
        }

        return password == confirm ? null : "The passwords do not match.";
    }
}
