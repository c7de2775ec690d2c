namespace HamachiCloud.Api.Contracts.Accounts;

/// <summary>POST /api/v1/accounts/register.</summary>
public sealed record RegisterRequest(string Email, string Password, string? DisplayName = null);
