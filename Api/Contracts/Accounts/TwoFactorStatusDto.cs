namespace HamachiCloud.Api.Contracts.Accounts;

/// <summary>
/// GET /api/v1/me/two-factor. <see cref="RequiredByRole"/>: the account is staff (admin, support) and the
/// deployment requires two-factor authentication for staff; staff-only endpoints refuse it until enabled.
/// </summary>
public sealed record TwoFactorStatusDto(bool Enabled, int RecoveryCodesLeft, bool RequiredByRole);
