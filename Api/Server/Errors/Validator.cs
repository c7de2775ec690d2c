using System.Net;

namespace HamachiCloud.Api.Errors;

/// <summary>
/// Collects every problem with a request before anything is written, then throws one 400 with
/// code <c>validation_failed</c> and the errors by field.
/// </summary>
internal sealed class Validator
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public Validator Name(string field, string? value, bool required = true)
    {
        if (value is null)
        {
            return required ? Add(field, "is required") : this;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, "must not be blank");
        }

        if (value.Length > NetworkLimits.MaxNameLength)
        {
            return Add(field, $"must be at most {NetworkLimits.MaxNameLength} characters (got {value.Length})");
        }

        if (value.Any(char.IsControl))
        {
            return Add(field, "must not contain control characters");
        }

        // Invisible formatting (right-to-left overrides, zero-width characters) would let a name read
        // differently from what it is, in the Portal, the CLI and the audit log.
        return value.Any(c => System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            ? Add(field, "must not contain invisible formatting characters (e.g. right-to-left overrides or zero-width characters)")
            : this;
    }

    public Validator Password(string field, string? value)
    {
        if (value is { Length: > NetworkLimits.MaxPasswordLength })
        {
            Add(field, $"must be at most {NetworkLimits.MaxPasswordLength} characters");
        }

        return this;
    }

    public Validator Range(string field, int value, int min, int max) =>
        value < min || value > max ? Add(field, $"must be between {min} and {max} (got {value})") : this;

    public Validator Defined<TEnum>(string field, TEnum value)
        where TEnum : struct, Enum =>
        Enum.IsDefined(value) ? this : Add(field, $"'{value}' is not a valid value");

    public Validator Cidr(string field, string? value)
    {
        if (value is null || !IPNetwork.TryParse(value, out _))
        {
            Add(field, $"'{value}' is not a valid CIDR (e.g. 198.51.100.0/24 or 2001:db8::/32)");
        }

        return this;
    }

    public Validator Check(bool ok, string field, string message) => ok ? this : Add(field, message);

    public Validator Add(string field, string message)
    {
        _errors[field] = _errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
        return this;
    }

    /// <summary>Throws if anything was added.</summary>
    public void ThrowIfInvalid()
    {
        if (_errors.Count == 0)
        {
            return;
        }

        var summary = string.Join("; ", _errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}"));
        throw new ApiProblemException(400, ErrorCodes.ValidationFailed, summary, _errors);
    }
}
