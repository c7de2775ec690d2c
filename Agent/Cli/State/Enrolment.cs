namespace HamachiCloud.Agent.State;

/// <summary>
/// The stored result of <c>hamachi login</c>: who this device is, its addresses, the server it
/// enrolled with and that server's identity key (base64 Ed25519), pinned for every login.
/// </summary>
public sealed record Enrolment(
    Guid DeviceId,
    string Name,
    string ServerUrl,
    string ServerIdentityKey,
    string VirtualIPv4,
    string VirtualIPv6,
    string OverlayPrefixV4,
    DateTimeOffset? KeyExpiresAt);
