namespace HamachiCloud.Api.Contracts.Accounts;

/// <summary>POST /api/v1/me/tokens. Scopes: "read" and/or "write"; lifetime 1 to 365 days.</summary>
public sealed record CreateApiTokenRequest(string Name, IReadOnlyList<string> Scopes, int ExpiresInDays = 30);
