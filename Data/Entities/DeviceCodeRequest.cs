namespace HamachiCloud.Data.Entities;

/// <summary>
/// A device-flow sign-in started by <c>hamachi login</c> (POST /connect/device), kept so the
/// approving user sees what asks for access: the device's name and OS as the CLI sent them
/// (sanitized), the address the request came from and when it expires. Looked up by the
/// normalized user code; pruned after expiry.
/// </summary>
public class DeviceCodeRequest
{
    public const int MaxCodeLength = 64;
    public const int MaxDeviceNameLength = 64;
    public const int MaxDeviceOsLength = 128;

    public Guid Id { get; set; }

    /// <summary>The user code as the CLI shows it (e.g. "4536-2874-0394").</summary>
    public string UserCode { get; set; } = "";

    /// <summary>The user code without separators, upper case: what lookups compare.</summary>
    public string NormalizedCode { get; set; } = "";

    public string? DeviceName { get; set; }
    public string? DeviceOs { get; set; }

    /// <summary>The client address the request came from (after trusted proxies), null if unknown.</summary>
    public string? RequestedFrom { get; set; }

    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
