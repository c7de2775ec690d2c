using System.Text;
using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.SignIn;
using Microsoft.AspNetCore.Identity;

namespace HamachiCloud.Api.TwoFactor;

/// <summary>
/// Two-factor authentication with an authenticator app (TOTP, ASP.NET Core Identity's authenticator
/// provider: RFC 6238, HMAC-SHA1, 30 s, 6 digits) and single-use recovery codes. Wrong codes slow
/// further ones (<see cref="SignInThrottle"/>, the account's step-up key), so a stolen access token
/// cannot guess codes.
/// </summary>
internal sealed class TwoFactorService(
    UserManager<User> users, HamachiDbContext db, AuditLog audit, StaffAccess staff, SignInThrottle throttle, IHttpContextAccessor http)
{
    public const string Issuer = "HamachiCloud";
    public const int RecoveryCodeCount = 10;

    public async Task<TwoFactorStatusDto> GetAsync(Guid userId, CancellationToken ct)
    {
        var user = await LoadAsync(userId);
        return new TwoFactorStatusDto(user.TwoFactorEnabled, user.TwoFactorEnabled ? await users.CountRecoveryCodesAsync(user) : 0, await staff.TwoFactorRequiredAsync(user));
    }

    /// <summary>A new authenticator key; only while two-factor is off (a key in use is never replaced here).</summary>
    public async Task<TwoFactorSetupDto> SetupAsync(Guid userId, CancellationToken ct)
    {
        var user = await LoadAsync(userId);
        if (user.TwoFactorEnabled)
        {
            throw ApiProblemException.Conflict(ErrorCodes.TwoFactorEnabled, "two-factor authentication is on; turn it off first to use another authenticator");
        }

        await users.ResetAuthenticatorKeyAsync(user);
        var key = await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException($"no authenticator key for user {user.Id} after reset");
        var email = user.Email ?? user.UserName ?? user.Id.ToString();
        var uri = $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(email)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6";
        return new TwoFactorSetupDto(Group(key), uri);
    }

    public async Task<RecoveryCodesDto> EnableAsync(Guid userId, TwoFactorCodeRequest request, CancellationToken ct)
    {
        Validate(request);
        var user = await LoadAsync(userId);
        if (user.TwoFactorEnabled)
        {
            throw ApiProblemException.Conflict(ErrorCodes.TwoFactorEnabled, "two-factor authentication is already on");
        }

        if (await users.GetAuthenticatorKeyAsync(user) is null)
        {
            throw ApiProblemException.Conflict(ErrorCodes.Conflict, "set up the authenticator first (POST /api/v1/me/two-factor/setup)");
        }

        await RequireCodeAsync(user, request.Code, allowRecoveryCode: false);
        await users.SetTwoFactorEnabledAsync(user, true);
        audit.Record(user.Id, "account.two_factor_enabled", "user", user.Id);
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount); // saves the audit event too
        return new RecoveryCodesDto([.. codes ?? []]);
    }

    public async Task DisableAsync(Guid userId, TwoFactorCodeRequest request, CancellationToken ct)
    {
        Validate(request);
        var user = await LoadAsync(userId);
        if (!user.TwoFactorEnabled)
        {
            throw ApiProblemException.Conflict(ErrorCodes.TwoFactorNotEnabled, "two-factor authentication is not on");
        }

        if (await staff.TwoFactorRequiredAsync(user))
        {
            throw new ApiProblemException(403, ErrorCodes.TwoFactorRequired, "staff accounts must keep two-factor authentication on");
        }

        await RequireCodeAsync(user, request.Code, allowRecoveryCode: true);
        audit.Record(user.Id, "account.two_factor_disabled", "user", user.Id);
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user); // the old app entry stops working; a new setup starts from scratch
    }

    public async Task<RecoveryCodesDto> RegenerateRecoveryCodesAsync(Guid userId, TwoFactorCodeRequest request, CancellationToken ct)
    {
        Validate(request);
        var user = await LoadAsync(userId);
        if (!user.TwoFactorEnabled)
        {
            throw ApiProblemException.Conflict(ErrorCodes.TwoFactorNotEnabled, "two-factor authentication is not on");
        }

        await RequireCodeAsync(user, request.Code, allowRecoveryCode: true);
        audit.Record(user.Id, "account.recovery_codes_generated", "user", user.Id);
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount);
        return new RecoveryCodesDto([.. codes ?? []]);
    }

    /// <summary>"JBSW Y3DP …": the base32 key in lower-case groups of four, easier to type.</summary>
    public static string Group(string key)
    {
        var grouped = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            grouped.Append(grouped.Length == 0 ? "" : " ").Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }

        return grouped.ToString().ToLowerInvariant();
    }

    /// <summary>The 6 digits of an authenticator code, without the spaces or dashes people type; null when it is not one.</summary>
    public static string? AuthenticatorDigits(string code)
    {
        var digits = code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return digits.Length == 6 && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    private static void Validate(TwoFactorCodeRequest request) =>
        new Validator().Check(request.Code is { Length: > 0 and <= 64 } && !string.IsNullOrWhiteSpace(request.Code), "code",
            "is required: the 6-digit code of the authenticator app (or a recovery code)").ThrowIfInvalid();

    private async Task RequireCodeAsync(User user, string code, bool allowRecoveryCode)
    {
        var key = SignInThrottle.StepUpKey(user.Id);
        var address = http.HttpContext?.Connection.RemoteIpAddress;
        var wait = throttle.Wait(key, address);
        if (wait > TimeSpan.Zero)
        {
            throw SignInThrottle.TooManyAttempts(wait, "code");
        }

        var digits = AuthenticatorDigits(code);
        var ok = digits is not null
            ? await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, digits)
            : allowRecoveryCode && (await users.RedeemTwoFactorRecoveryCodeAsync(user, code.Trim())).Succeeded;
        if (ok)
        {
            throttle.Succeeded(key, address);
            return;
        }

        db.ChangeTracker.Clear();
        throttle.Failed(key, address);
        throw InvalidCode(allowRecoveryCode
            ? "the code is wrong or expired: type the current 6-digit code of the authenticator app, or an unused recovery code"
            : "the code is wrong or expired: type the current 6-digit code the authenticator app shows for HamachiCloud");
    }

    private async Task<User> LoadAsync(Guid userId) =>
        await users.FindByIdAsync(userId.ToString()) ?? throw new ApiProblemException(401, ErrorCodes.Unauthorized, "the account no longer exists");

    private static ApiProblemException InvalidCode(string message) =>
        new(400, ErrorCodes.InvalidCode, message, new Dictionary<string, string[]> { ["code"] = [message] });
}
