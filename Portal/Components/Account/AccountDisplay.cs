using System.Globalization;

namespace HamachiCloud.Portal.Components.Account;

/// <summary>How the account pages write times and scopes.</summary>
public static class AccountDisplay
{
    /// <summary>"2025-05-12 14:03 UTC" (the same for everyone, unambiguous in a list).</summary>
    public static string When(DateTimeOffset? at) =>
        at is null ? "—" : at.Value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Scopes(IReadOnlyList<string> scopes) => scopes.Count == 0 ? "—" : string.Join(", ", scopes);
}
