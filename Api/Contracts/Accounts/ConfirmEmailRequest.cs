namespace HamachiCloud.Api.Contracts.Accounts;

/// <summary>POST /api/v1/accounts/confirm-email: the <c>userId</c> and <c>code</c> of the confirmation link.</summary>
public sealed record ConfirmEmailRequest(Guid UserId, string Code);
