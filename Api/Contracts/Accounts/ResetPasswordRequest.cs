namespace HamachiCloud.Api.Contracts.Accounts;

/// <summary>POST /api/v1/accounts/reset-password: the <c>email</c> and <c>code</c> of the reset link and the new password.</summary>
public sealed record ResetPasswordRequest(string Email, string Code, string NewPassword);
