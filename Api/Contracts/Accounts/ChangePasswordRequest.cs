namespace HamachiCloud.Api.Contracts.Accounts;

/// <summary>POST /api/v1/me/password.</summary>
public sealed record ChangePasswordRequest(string CurrentPassword, string NewPassword);
