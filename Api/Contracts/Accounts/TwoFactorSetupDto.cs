namespace HamachiCloud.Api.Contracts.Accounts;

/// <summary>
/// POST /api/v1/me/two-factor/setup: a new authenticator key. <see cref="SharedKey"/> is the base32 key in
/// groups of four for typing; <see cref="AuthenticatorUri"/> (<c>otpauth://totp/…</c>) is what a QR code shows.
/// </summary>
public sealed record TwoFactorSetupDto(string SharedKey, string AuthenticatorUri);
