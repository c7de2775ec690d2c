using HamachiCloud.Api.Contracts.Client;

namespace HamachiCloud.Portal.ApiAccess;

/// <summary>
/// What the user sees when an action fails: a short <see cref="Message"/> (never a raw exception),
/// the <see cref="Reference"/> that is also in the Portal's and the Api's logs, and the Api's
/// problem when there was one (its field <c>errors</c> go next to the matching fields).
/// </summary>
public sealed record PortalError(string Message, string Reference, ApiProblem? Problem = null, bool SessionEnded = false)
{
    /// <summary>The Api's messages for one request field (camelCase name, e.g. "name"), if any.</summary>
    public string? FieldError(string field)
    {
        if (Problem?.Errors is null)
        {
            return null;
        }

        foreach (var (key, messages) in Problem.Errors)
        {
            if (string.Equals(key, field, StringComparison.OrdinalIgnoreCase))
            {
                return string.Join(" ", messages.Select(m => Capitalize(field, m)));
            }
        }

        return null;
    }

    /// <summary>"must not be blank" on field "name" reads "Name must not be blank."</summary>
    private static string Capitalize(string field, string message) =>
        char.ToUpperInvariant(field[0]) + field[1..] + " " + message.TrimEnd('.') + ".";
}
