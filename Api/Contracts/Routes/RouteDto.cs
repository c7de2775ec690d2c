namespace HamachiCloud.Api.Contracts.Routes;

/// <summary>
/// A LAN prefix a gateway device advertises in a gateway network. Members reach it through the
/// device once <see cref="Status"/> is Approved.
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
    DateTimeOffset? DecidedAt);
