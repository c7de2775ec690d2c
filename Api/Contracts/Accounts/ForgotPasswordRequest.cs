namespace HamachiCloud.Api.Contracts.Accounts;

/// <summary>POST /api/v1/accounts/forgot-password: always 202; a reset link is mailed only to a confirmed account.</summary>
public sealed record ForgotPasswordRequest(string Email);
