using HamachiCloud.Api.Contracts.Accounts;

namespace HamachiCloud.Api.Contracts.Client;

/// <summary>Account self-service: email confirmation, password recovery and change, two-factor authentication, sessions.</summary>
public sealed partial class HamachiClient
{
    // Anonymous (rate-limited per address)

    /// <summary>Confirms the email address with the link's <c>userId</c> and <c>code</c>; 400 <c>invalid_token</c> otherwise.</summary>
    public Task ConfirmEmailAsync(ConfirmEmailRequest request, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "api/v1/accounts/confirm-email", request, ct);

    /// <summary>Mails a new confirmation link if the address has an unconfirmed account; the answer is the same either way.</summary>
    public Task ResendConfirmationAsync(ResendConfirmationRequest request, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "api/v1/accounts/resend-confirmation", request, ct);

    /// <summary>Mails a reset link if the address has a confirmed account; the answer is the same either way.</summary>
    public Task ForgotPasswordAsync(ForgotPasswordRequest request, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "api/v1/accounts/forgot-password", request, ct);

    /// <summary>Sets a new password with the reset link's code; 400 <c>invalid_token</c> or <c>weak_password</c>.</summary>
    public Task ResetPasswordAsync(ResetPasswordRequest request, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "api/v1/accounts/reset-password", request, ct);

    // Signed in

    /// <summary>400 <c>wrong_password</c> (field currentPassword) or <c>weak_password</c> (field newPassword).</summary>
    public Task ChangePasswordAsync(ChangePasswordRequest request, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "api/v1/me/password", request, ct);

    public Task<TwoFactorStatusDto> GetTwoFactorAsync(CancellationToken ct = default) =>
        SendAsync<TwoFactorStatusDto>(HttpMethod.Get, "api/v1/me/two-factor", null, ct);

    /// <summary>A new authenticator key (only while two-factor is off; 409 <c>two_factor_enabled</c> otherwise).</summary>
    public Task<TwoFactorSetupDto> SetupTwoFactorAsync(CancellationToken ct = default) =>
        SendAsync<TwoFactorSetupDto>(HttpMethod.Post, "api/v1/me/two-factor/setup", null, ct);

    /// <summary>Turns two-factor on with a code from the app; the answer holds the 10 recovery codes, shown once.</summary>
    public Task<RecoveryCodesDto> EnableTwoFactorAsync(TwoFactorCodeRequest request, CancellationToken ct = default) =>
        SendAsync<RecoveryCodesDto>(HttpMethod.Post, "api/v1/me/two-factor/enable", request, ct);

    /// <summary>Turns two-factor off with an app code or a recovery code (refused for staff when required).</summary>
    public Task DisableTwoFactorAsync(TwoFactorCodeRequest request, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "api/v1/me/two-factor/disable", request, ct);

    /// <summary>Replaces the recovery codes (the old ones stop working).</summary>
    public Task<RecoveryCodesDto> RegenerateRecoveryCodesAsync(TwoFactorCodeRequest request, CancellationToken ct = default) =>
        SendAsync<RecoveryCodesDto>(HttpMethod.Post, "api/v1/me/two-factor/recovery-codes", request, ct);

    /// <summary>The account's OAuth authorizations (Portal sign-ins, <c>hamachi login</c>s), newest first.</summary>
    public Task<List<SessionDto>> ListSessionsAsync(CancellationToken ct = default) =>
        SendAsync<List<SessionDto>>(HttpMethod.Get, "api/v1/me/sessions", null, ct);

    /// <summary>Revokes one authorization and its tokens (its refresh token is refused from now on).</summary>
    public Task RevokeSessionAsync(Guid id, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Delete, $"api/v1/me/sessions/{id}", null, ct);

    /// <summary>Revokes every authorization of the account, this caller's included.</summary>
    public Task RevokeAllSessionsAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "api/v1/me/sessions/revoke-all", null, ct);
}
