using Microsoft.AspNetCore.Identity;

namespace HamachiCloud.Api.Accounts;

/// <summary>Turns failed Identity results into the API's problems.</summary>
internal static class IdentityProblems
{
    /// <summary>True when the failure is a refused password (too short, …) rather than anything else.</summary>
    public static bool IsPasswordRule(IdentityError e) =>
        e.Code.StartsWith("Password", StringComparison.Ordinal) && e.Code != nameof(IdentityErrorDescriber.PasswordMismatch);

    /// <summary>400 <c>weak_password</c> with the rules broken, on <paramref name="field"/>.</summary>
    public static ApiProblemException WeakPassword(IdentityResult result, string field)
    {
        var messages = result.Errors.Where(IsPasswordRule).Select(e => e.Description).ToArray();
        return new ApiProblemException(400, ErrorCodes.WeakPassword, string.Join(" ", messages), new Dictionary<string, string[]> { [field] = messages });
    }

    /// <summary>For anything unexpected: a 400 naming Identity's reasons (never a 500 for a refused change).</summary>
    public static ApiProblemException Failed(IdentityResult result, string what) =>
        new(400, ErrorCodes.ValidationFailed, $"{what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
}
