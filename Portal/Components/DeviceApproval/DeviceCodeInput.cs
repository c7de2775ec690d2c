namespace HamachiCloud.Portal.Components.DeviceApproval;

/// <summary>
/// The code typed on the device approval page: what <c>hamachi login</c> printed (e.g. ABCD-EFGH).
/// Case, spaces and dashes do not matter to the Api; anything else is refused here before a lookup.
/// </summary>
public static class DeviceCodeInput
{
    public const string InvalidOrExpired = "That code is invalid or has expired. Run `hamachi login` again.";

    /// <summary>Upper case, trimmed; inner dashes kept as typed (the Api ignores them).</summary>
    public static string Clean(string? code) => (code ?? "").Trim().ToUpperInvariant();

    public static string? Error(string? code)
    {
        var c = Clean(code);
        if (c.Length == 0)
        {
            return "Enter the code `hamachi login` showed, like ABCD-EFGH.";
        }

        return c.Length <= 64 && c.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or ' ') && c.Any(char.IsAsciiLetterOrDigit)
            ? null
            : InvalidOrExpired;
    }
}
