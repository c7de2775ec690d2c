namespace HamachiCloud.Api.Contracts.Enrolment;

/// <summary>
/// POST /api/v1/devices/enrol: registers a device's public keys with an account. Authorised by
/// a bearer token (from the device flow) or, headless, by <see cref="SetupKey"/>. Keys are base64
/// of 32 bytes: <see cref="MachineKey"/> Ed25519, <see cref="NodeKey"/> X25519 (WireGuard).
/// </summary>
public sealed record EnrolRequest(string Name, string MachineKey, string NodeKey, string? SetupKey = null);
