using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Portal.Components.Account;

/// <summary>The new-API-token form: a name, read or read + write, a lifetime of 1..365 days.</summary>
public sealed class CreateApiTokenForm
{
    public const int MinDays = 1;
    public const int MaxDays = 365;

    public string Name { get; set; } = "";

    /// <summary>True: the token may also change things ("write"); false: read only.</summary>
    public bool Write { get; set; }

    public int? ExpiresInDays { get; set; } = 30;

    public string? NameError()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            return "Enter a name, e.g. backup script.";
        }

        var n = Name.Trim();
        if (n.Length > NetworkLimits.MaxNameLength)
        {
            return $"At most {NetworkLimits.MaxNameLength} characters (this is {n.Length}).";
        }

        return n.Any(char.IsControl) ? "No control characters." : null;
    }

    public string? ExpiresInDaysError() =>
        ExpiresInDays is null ? "Enter a number of days." :
        ExpiresInDays is < MinDays or > MaxDays ? $"Between {MinDays} and {MaxDays} days." : null;

    public bool IsValid => NameError() is null && ExpiresInDaysError() is null;

    public CreateApiTokenRequest ToRequest() =>
        new(Name.Trim(), Write ? ["read", "write"] : ["read"], ExpiresInDays ?? 30);
}
