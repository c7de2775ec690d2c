using System.Net.Mail;

namespace HamachiCloud.Api.Accounts;

internal static class EmailAddresses
{
    /// <summary>A bare address (no display name, no surrounding spaces after trimming), at most 254 characters.</summary>
    public static bool IsValid(string? value) =>
        value is { Length: > 2 and <= 254 } && MailAddress.TryCreate(value.Trim(), out var a) && a.Address == value.Trim();
}
