namespace HamachiCloud.Api.Contracts.Devices;

/// <summary>PUT /api/v1/devices/{id}/name.</summary>
public sealed record RenameDeviceRequest(string Name);
