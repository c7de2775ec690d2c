namespace HamachiCloud.Api.Identity;

/// <summary>
/// User codes compared the way people type them (case, dashes and spaces do not matter), and the
/// lookups of <see cref="DeviceCodeRequest"/>s shared by the REST endpoint and the approval.
/// </summary>
internal static class DeviceCodes
{
    /// <summary>Upper-case letters and digits only; null when something else is in it or it is empty or too long.</summary>
    public static string? Normalize(string? code)
    {
        if (string.IsNullOrEmpty(code) || code.Length > 2 * DeviceCodeRequest.MaxCodeLength)
        {
            return null;
        }

        var kept = new System.Text.StringBuilder(code.Length);
        foreach (var c in code)
        {
            if (c is '-' or ' ')
            {
                continue;
            }

            if (!char.IsAsciiLetterOrDigit(c))
            {
                return null;
            }

            kept.Append(char.ToUpperInvariant(c));
        }

        return kept.Length is > 0 and <= DeviceCodeRequest.MaxCodeLength ? kept.ToString() : null;
    }

    public const string NotFoundDetail = "That code is invalid or has expired. Run `hamachi login` again.";

    /// <summary>The unexpired request behind a normalized user code, or null.</summary>
    public static Task<DeviceCodeRequest?> FindAsync(HamachiDbContext db, string normalized, DateTimeOffset now, CancellationToken ct) =>
        db.DeviceCodeRequests.AsNoTracking().FirstOrDefaultAsync(r => r.NormalizedCode == normalized && r.ExpiresAt > now, ct);

    /// <summary>Deletes the request once the code was approved or denied (it cannot be used again).</summary>
    public static Task<int> ForgetAsync(HamachiDbContext db, string? userCode, CancellationToken ct) =>
        Normalize(userCode) is { } normalized
            ? db.DeviceCodeRequests.Where(r => r.NormalizedCode == normalized).ExecuteDeleteAsync(ct)
            : Task.FromResult(0);
}
