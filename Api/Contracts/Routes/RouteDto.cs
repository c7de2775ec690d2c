namespace HamachiCloud.Api.Contracts.Routes;

/// <summary>
/// A LAN prefix a gateway device advertises in a gateway network. Members reach it through the
/// device once <see cref="Status"/> is Approved. <see cref="Public"/>: outside the private and ULA ranges;
/// only a network that allows public routes has them, and only members' devices that accept public
/// routes get them.
/// </summary>
public sealed record RouteDto(
    Guid Id,
    Guid NetworkId,
    Guid DeviceId,
    string DeviceName,
    string Prefix,
    RouteStatus Status,
    DateTimeOffset AdvertisedAt,
    Guid? DecidedBy,
    DateTimeOffset? DecidedAt,
    bool Public = false);
