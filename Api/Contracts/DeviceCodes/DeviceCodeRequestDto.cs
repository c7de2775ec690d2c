namespace HamachiCloud.Api.Contracts.DeviceCodes;

/// <summary>
/// A pending <c>hamachi login</c> (device flow) as the approving user sees it: the code, the
/// device's name and OS as the CLI sent them, the address the request came from, and the times.
/// </summary>
public sealed record DeviceCodeRequestDto(
    string UserCode,
    string? DeviceName,
    string? DeviceOs,
    string? RequestedFrom,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt);
