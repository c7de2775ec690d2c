using HamachiCloud.Portal.ApiAccess;

namespace HamachiCloud.Portal.Components.Account;

/// <summary>
/// The Api's messages for one request field, as a sentence for the field's label: "is required" on
/// <c>newPassword</c> reads "New password is required."; a message that is a sentence of its own
/// ("the current password is wrong", Identity's "Passwords must have at least one digit") is capitalized.
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

    /// <summary>Words that continue the field's name ("is required", "must be …"); anything else is its own sentence.</summary>
    private static readonly string[] Predicates = ["is", "are", "must", "should", "cannot", "can", "has", "at", "needs"];

    private static string Sentence(string label, string message)
    {
        var m = message.Trim().TrimEnd('.');
        if (m.Length == 0)
        {
            return label + " is not valid.";
        }

        var first = m.Split(' ', 2)[0];
        return Predicates.Contains(first, StringComparer.Ordinal) ? $"{label} {m}." : char.ToUpperInvariant(m[0]) + m[1..] + ".";
    }
}
