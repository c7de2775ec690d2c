namespace HamachiCloud.Api.Contracts.SetupKeys;

/// <summary>POST /api/v1/setup-keys. Lifetime 1 hour to 90 days.</summary>
public sealed record CreateSetupKeyRequest(string Name, bool Reusable = false, int ExpiresInHours = 24);
