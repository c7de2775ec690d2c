namespace HamachiCloud.Portal.Components.Account;

/// <summary>
/// Checks of a typed authenticator code: 6 digits from the app (spaces and dashes ignored, as the Api
/// does), or, where the Api accepts one (turning two-factor off, new recovery codes), a recovery code.
/// </summary>
public static class TwoFactorCode
{
    public static string Normalize(string? code) =>
        new((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());

    public static string? AppCodeError(string? code)
    {
        var c = Normalize(code);
        if (c.Length == 0)
        {
            return "Enter the 6-digit code your authenticator app shows.";
        }

        return c.Length == 6 && c.All(char.IsAsciiDigit) ? null : "The code is 6 digits, like 123456.";
    }

    public static string? AppOrRecoveryCodeError(string? code)
    {
        var c = Normalize(code);
        if (c.Length == 0)
        {
            return "Enter a code from your authenticator app or a recovery code.";
        }

        return c.Length <= 64 && c.All(char.IsAsciiLetterOrDigit) ? null : "Enter 6 digits from the app, or one of your recovery codes.";
    }
}
