using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Portal.Components.Devices;

/// <summary>The Api's rules for a device or setup-key name, checked before sending: not blank, at most 64 characters, no control characters.</summary>
public static class NameCheck
{
    /// <summary>The message for <paramref name="name"/>, or null when it is fine.</summary>
    public static string? Error(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "Enter a name.";
        }

        var trimmed = name.Trim();
        if (trimmed.Length > NetworkLimits.MaxNameLength)
        {
            return $"At most {NetworkLimits.MaxNameLength} characters (this is {trimmed.Length}).";
        }

        return trimmed.Any(char.IsControl) ? "No control characters." : null;
    }
}
