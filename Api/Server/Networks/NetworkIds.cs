using System.Security.Cryptography;

namespace HamachiCloud.Api.Networks;

/// <summary>The ids users type to join: nine digits shown as "482-193-557" (Hamachi's style).</summary>
internal static class NetworkIds
{
    public static string NewId()
    {
        var n = RandomNumberGenerator.GetInt32(100_000_000, 1_000_000_000);
        return Format(n.ToString("D9", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Accepts "482-193-557", "482193557" or " 482 193 557 "; null when it is not nine digits.</summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null || typed.Length > 32)
        {
            return null;
        }

        var digits = new string(typed.Where(c => c is not ('-' or ' ')).ToArray());
        return digits.Length == 9 && digits.All(char.IsAsciiDigit) ? Format(digits) : null;
    }

    private static string Format(string digits) => $"{digits[..3]}-{digits[3..6]}-{digits[6..]}";
}
