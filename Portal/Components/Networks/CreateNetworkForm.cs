using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Portal.Components.Networks;

/// <summary>
/// The create-network form's values and their checks, before anything is sent (the Api checks
/// again and its field errors are shown the same way). Limits are the Api's (<see cref="NetworkLimits"/>).
/// </summary>
public sealed class CreateNetworkForm
{
    public string Name { get; set; } = "";

    public NetworkType Type { get; set; } = NetworkType.Mesh;

    public string Password { get; set; } = "";

    /// <summary>True: joins wait for an owner's or admin's approval. False: accepted at once (with the password if one is set).</summary>
    public bool RequireApproval { get; set; }

    /// <summary>The message for <see cref="Name"/>, or null when it is fine.</summary>
    public string? NameError()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            return "Enter a name.";
        }

        var name = Name.Trim();
        if (name.Length > NetworkLimits.MaxNameLength)
        {
            return $"At most {NetworkLimits.MaxNameLength} characters (this is {name.Length}).";
        }

        return name.Any(char.IsControl) ? "No control characters." : null;
    }

    public string? PasswordError() =>
        Password.Length > NetworkLimits.MaxPasswordLength ? $"At most {NetworkLimits.MaxPasswordLength} characters." : null;

    public bool IsValid => NameError() is null && PasswordError() is null;

    public CreateNetworkRequest ToRequest()
    {
        var password = Password.Length == 0 ? null : Password;
        var policy = RequireApproval ? JoinPolicy.Approval : password is null ? JoinPolicy.Open : JoinPolicy.Password;
        return new CreateNetworkRequest(Name.Trim(), Type, policy, password);
    }
}
