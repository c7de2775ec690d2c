namespace HamachiCloud.Api.Contracts.Devices;

/// <summary>
/// PUT /api/v1/devices/{id}/accept-routes: whether the device accepts public gateway routes (prefixes
/// outside the private and ULA ranges). Required; the device's agent must accept them locally as well.
/// </summary>
public sealed record SetAcceptRoutesRequest(bool? Accept);
