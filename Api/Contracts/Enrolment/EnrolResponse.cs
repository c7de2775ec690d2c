namespace HamachiCloud.Api.Contracts.Enrolment;

/// <summary>
/// The enrolled device: its id and virtual addresses, and the server identity key (Ed25519,
/// base64) that the agent pins and checks at every login.
/// </summary>
public sealed record EnrolResponse(Guid DeviceId, string VirtualIPv4, string VirtualIPv6, string OverlayPrefixV4, string ServerIdentityKey, DateTimeOffset? KeyExpiresAt);
