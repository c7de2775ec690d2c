using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.Sessions;
using HamachiCloud.Api.SignIn;
using Microsoft.AspNetCore.Identity;

namespace HamachiCloud.Api.Accounts;

/// <summary>
/// "Forgot password" (a reset link mailed to a confirmed account), the reset itself, and a signed-in
/// user's change of password. The anonymous calls never tell whether an address has an account.
/// </summary>
internal sealed class PasswordService(
    UserManager<User> users, HamachiDbContext db, AuditLog audit, AccountMails mails, SessionService sessions, SignInThrottle throttle, IHttpContextAccessor http)
{
    public async Task ForgotAsync(ForgotPasswordRequest request, CancellationToken ct)
    {
        new Validator().Check(EmailAddresses.IsValid(request.Email), "email", "must be an email address").ThrowIfInvalid();
        var user = await users.FindByEmailAsync(request.Email.Trim());
        if (user is { EmailConfirmed: true })
        {
            await mails.SendPasswordResetAsync(user, ct);
        }
    }

    /// <summary>
    /// Sets the new password and ends every session of the account: its OAuth authorizations and their
    /// tokens, refresh tokens included, are revoked (whoever knew the old password is signed out). 400 <c>invalid_token</c> (also for an unknown address) or <c>weak_password</c>.
    /// </summary>
    public async Task ResetAsync(ResetPasswordRequest request, CancellationToken ct)
    {
        var token = AccountMails.Decode(request.Code);
        new Validator()
            .Check(EmailAddresses.IsValid(request.Email), "email", "must be an email address")
            .Check(!string.IsNullOrWhiteSpace(request.Code), "code", "is required (the code of the reset link)")
            .Check(request.NewPassword is { Length: > 0 and <= 256 }, "newPassword", "is required (at most 256 characters)")
            .ThrowIfInvalid();

        var user = token is null ? null : await users.FindByEmailAsync(request.Email.Trim());
        if (user is null)
        {
            throw InvalidLink();
        }

        user.MustChangePassword = false;
        user.OneTimePasswordExpiresAt = null;
        audit.Record(user.Id, "account.password_reset", "user", user.Id, "by emailed link");
        var result = await users.ResetPasswordAsync(user, token!, request.NewPassword); // one SaveChanges with the audit event
        if (!result.Succeeded)
        {
            db.ChangeTracker.Clear();
            throw result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken)) ? InvalidLink()
                : result.Errors.Any(IdentityProblems.IsPasswordRule) ? IdentityProblems.WeakPassword(result, "newPassword")
                : IdentityProblems.Failed(result, "reset password");
        }

        await sessions.RevokeAllAsync(user.Id, "password reset", ct);
    }

    /// <summary>
    /// Changes the password and revokes every other OAuth session of the account with its tokens (the
    /// caller's own, <paramref name="currentSession"/>, goes on). 400 <c>wrong_password</c> on
    /// <c>currentPassword</c> (slowing further attempts), 429 <c>too_many_attempts</c>, or 400 <c>weak_password</c> on <c>newPassword</c>.
    /// </summary>
    public async Task ChangeAsync(Guid userId, ChangePasswordRequest request, CancellationToken ct, Guid? currentSession = null)
    {
        new Validator()
            .Check(request.CurrentPassword is { Length: > 0 and <= 256 }, "currentPassword", "is required")
            .Check(request.NewPassword is { Length: > 0 and <= 256 }, "newPassword", "is required (at most 256 characters)")
            .Check(request.NewPassword != request.CurrentPassword, "newPassword", "must differ from the current password")
            .ThrowIfInvalid();

        var user = await users.FindByIdAsync(userId.ToString()) ?? throw new ApiProblemException(401, ErrorCodes.Unauthorized, "the account no longer exists");
        var key = SignInThrottle.StepUpKey(user.Id);
        var address = http.HttpContext?.Connection.RemoteIpAddress;
        var wait = throttle.Wait(key, address);
        if (wait > TimeSpan.Zero)
        {
            throw SignInThrottle.TooManyAttempts(wait, "currentPassword");
        }

        var wasOneTime = user.MustChangePassword;
        user.MustChangePassword = false;
        user.OneTimePasswordExpiresAt = null;
        audit.Record(user.Id, "account.password_changed", "user", user.Id, wasOneTime ? "one-time password replaced" : null);
        var result = await users.ChangePasswordAsync(user, request.CurrentPassword, request.NewPassword);
        if (result.Succeeded)
        {
            throttle.Succeeded(key, address);
            await sessions.RevokeAllAsync(user.Id, "password changed", ct, keep: currentSession);
            return;
        }

        db.ChangeTracker.Clear();
        if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
        {
            throttle.Failed(key, address);
            throw WrongPassword("the current password is wrong");
        }

        throw result.Errors.Any(IdentityProblems.IsPasswordRule) ? IdentityProblems.WeakPassword(result, "newPassword") : IdentityProblems.Failed(result, "change password");
    }

    private static ApiProblemException WrongPassword(string message) => new(400, ErrorCodes.WrongPassword, message,
        new Dictionary<string, string[]> { ["currentPassword"] = [message] });

    private static ApiProblemException InvalidLink() => new(400, ErrorCodes.InvalidToken,
        "this password reset link is invalid, already used or expired; ask for a new one (POST /api/v1/accounts/forgot-password)",
        new Dictionary<string, string[]> { ["code"] = ["is invalid, already used or expired"] });
}
