namespace HamachiCloud.Api.Contracts.Accounts;

/// <summary>POST /api/v1/accounts/resend-confirmation: always 202, whether or not the address has an account.</summary>
public sealed record ResendConfirmationRequest(string Email);
