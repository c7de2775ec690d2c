using HamachiCloud.Portal.ApiAccess;

namespace HamachiCloud.Portal.Components.Account;

/// <summary>
/// When a form shows which message next to a field: its own check once the field was left (blur) or
/// the form was sent, otherwise the Api's field error from the last attempt.
/// </summary>
public sealed class FormState
{
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);

    public bool Submitted { get; set; }

    /// <summary>The last failed attempt's error (its field errors go next to the fields).</summary>
    public PortalError? ApiError { get; set; }

    public void Touch(string field) => _touched.Add(field);

    /// <summary>True once the field was left or the form sent: its own check is shown from then on.</summary>
    public bool Shows(string field) => Submitted || _touched.Contains(field);

    public string? Error(string field, string? local, string label) =>
        Shows(field) && local is not null ? local : ApiFieldErrors.For(ApiError, field, label);

    public void Reset()
    {
        _touched.Clear();
        Submitted = false;
        ApiError = null;
    }
}
