namespace HamachiCloud.Api.Contracts.Support;

/// <summary>
/// A device found by the support search, or one of an account's devices: its virtual addresses, its key,
/// whether its control session is live and the public endpoints it was last seen at.
/// </summary>
public sealed record SupportDeviceHit(
    Guid Id,
    string Name,
    Guid UserId,
    string OwnerEmail,
    string VirtualIPv4,
    string VirtualIPv6,
    string NodeKey,
    bool Online,
    DateTimeOffset? LastSeenAt,
    string Endpoints);
