using HamachiCloud.Portal.ApiAccess;

namespace HamachiCloud.Portal.Components.Account;

/// <summary>
/// The Api's messages for one request field, as a sentence for the field's label: "is required" on
/// <c>newPassword</c> reads "New password is required."; a message that is already a sentence
/// (ASP.NET Identity's "Passwords must have at least one digit") is kept as it is.
/// </summary>
public static class ApiFieldErrors
{
    public static string? For(PortalError? error, string field, string label)
    {
        if (error?.Problem?.Errors is not { } errors)
        {
            return null;
        }

        foreach (var (key, messages) in errors)
        {
            if (string.Equals(key, field, StringComparison.OrdinalIgnoreCase) && messages.Length > 0)
            {
                return string.Join(" ", messages.Select(m => Sentence(label, m)));
            }
        }

        return null;
    }

    /// <summary>True when the Api's problem names at least one of <paramref name="fields"/>.</summary>
    public static bool AnyOf(PortalError? error, params string[] fields) =>
        error?.Problem?.Errors is { } errors && errors.Keys.Any(k => fields.Contains(k, StringComparer.OrdinalIgnoreCase));

    private static string Sentence(string label, string message)
    {
        var m = message.Trim().TrimEnd('.');
        return m.Length > 0 && char.IsUpper(m[0]) ? m + "." : $"{label} {m}.";
    }
}
