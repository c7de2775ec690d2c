using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Hosting;
using HamachiCloud.Api.RateLimiting;
using HamachiCloud.Api.SignIn;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Identity;

/// <summary>
/// The sign-in page behind the authorize and verify endpoints (Identity cookie, throttled failures, the two-factor
/// step, refusal of an unconfirmed email), and the change-password page a one-time password (the first
/// admin's) leads to before anything else.
/// </summary>
internal static class LoginEndpoints
{
    public const string ChangePasswordPath = "/account/change-password";
    public const string TwoFactorPath = "/account/login/two-factor";

    public static void MapLoginEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPageStyles();
        var account = app.MapGroup("/account").ExcludeFromDescription();
        account.MapGet("/login", (HttpContext ctx, IAntiforgery af, IOptions<IdentityServerOptions> o, [FromQuery(Name = "ReturnUrl")] string? returnUrl) =>
            HtmlPages.Login(af.GetAndStoreTokens(ctx), Target(returnUrl), o.Value.PortalUrl, null));
        account.MapPost("/login", LoginAsync).RequireRateLimiting(RateLimits.SignIn);
        account.MapGet("/login/two-factor", TwoFactorPageAsync);
        account.MapPost("/login/two-factor", TwoFactorAsync).RequireRateLimiting(RateLimits.SignIn);
        account.MapPost("/resend-confirmation", ResendConfirmationAsync).RequireRateLimiting(RateLimits.AccountRecovery);
        account.MapPost("/logout", async (SignInManager<User> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.Redirect("/account/login");
        });
        account.MapGet("/change-password", ChangePasswordPageAsync);
        account.MapPost("/change-password", ChangePasswordAsync);
        app.MapGet("/connect/verify/done", ([FromQuery] bool approved) => approved
            ? HtmlPages.Message("Device approved", "You can close this window; the device finishes signing in by itself.")
            : HtmlPages.Message("Device denied", "The request was denied; nothing was added to your account.")).ExcludeFromDescription();
    }

    /// <summary>Where a session whose password must change is sent, coming back to <paramref name="returnUrl"/> after.</summary>
    public static IResult RedirectToChangePassword(string returnUrl) =>
        Results.Redirect(ChangePasswordPath + "?ReturnUrl=" + Uri.EscapeDataString(IsLocal(returnUrl) ? returnUrl : "/"));

    /// <summary>
    /// The password step, after the per-address limit (<see cref="RateLimits.SignIn"/>). An account locked by
    /// wrong passwords (<see cref="AccountLockout"/>, shared by all nodes) is refused from unfamiliar addresses; below
    /// that, wrong passwords are slowed per account and per address (<see cref="SignInThrottle"/>, per node). An
    /// unknown email locks, costs a hash verification and gets the same answers as a known one.
    /// </summary>
    private static async Task<IResult> LoginAsync(
        HttpContext ctx,
        IAntiforgery af,
        SignInManager<User> signIn,
        SignInThrottle throttle,
        AccountLockout lockout,
        UnknownAccountPassword unknown,
        IOptions<IdentityServerOptions> options,
        TimeProvider clock,
        [FromForm] string email,
        [FromForm] string password,
        [FromForm] string? returnUrl)
    {
        var target = Target(returnUrl);
        var address = ctx.Connection.RemoteIpAddress;
        var key = SignInThrottle.SignInKey(email);
        IResult Refuse(string error, int status = StatusCodes.Status401Unauthorized)
        {
            ctx.Response.StatusCode = status;
            return HtmlPages.Login(af.GetAndStoreTokens(ctx), target, options.Value.PortalUrl, error, email);
        }

        var locked = await lockout.LockedForAsync(key, address, ctx.RequestAborted);
        var wait = locked > TimeSpan.Zero ? locked : throttle.Wait(key, address);
        if (wait > TimeSpan.Zero)
        {
            ctx.Response.Headers.RetryAfter = SignInThrottle.Seconds(wait).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Refuse(SignInThrottle.Describe(wait), StatusCodes.Status429TooManyRequests);
        }

        var user = await signIn.UserManager.FindByEmailAsync(email);
        if (user is null)
        {
            unknown.Verify(password);
            throttle.Failed(key, address);
            await SignInAudit.RecordAsync(ctx, SignInAudit.SignInFailed, null, email, null);
            await lockout.FailedAsync(key, null, ctx.RequestAborted);
            return Refuse(WrongPasswordMessage);
        }

        var expired = OneTimePasswordExpired(user, clock);
        var result = expired
            ? await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: false)
            : await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: false);
        if (result.Succeeded && !expired)
        {
            throttle.Succeeded(key, address);
            await SignInAudit.RecordAsync(ctx, SignInAudit.SignedIn, user, email, "password");
            await lockout.SucceededAsync(key, address, ctx.RequestAborted);
            return user.MustChangePassword ? RedirectToChangePassword(target) : Results.Redirect(target);
        }

        if (result.RequiresTwoFactor)
        {
            return Results.Redirect(TwoFactorPath + "?ReturnUrl=" + Uri.EscapeDataString(target));
        }

        if (result.Succeeded)
        {
            return Refuse(ExpiredMessage(user)); // the right one-time password, too late
        }

        // Not allowed = disabled by support (HamachiSignInManager) or email not confirmed, decided before the
        // password was checked: said only to someone who knows the password.
        if (result.IsNotAllowed && user.DisabledAt is not null && await signIn.UserManager.CheckPasswordAsync(user, password))
        {
            await SignInAudit.RecordAsync(ctx, SignInAudit.SignInFailed, user, email, "account disabled");
            ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
            return HtmlPages.Message("Account disabled", $"Support disabled this account: {user.DisabledReason}");
        }

        // Not allowed = email not confirmed (Identity:RequireConfirmedEmail), decided before the password was
        // checked: say so only to someone who knows the password; a wrong one counts as usual.
        if (result.IsNotAllowed && !user.EmailConfirmed && await signIn.UserManager.CheckPasswordAsync(user, password))
        {
            ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
            return HtmlPages.ConfirmEmailFirst(af.GetAndStoreTokens(ctx), user.Email ?? email, target);
        }

        throttle.Failed(key, address);
        await SignInAudit.RecordAsync(ctx, SignInAudit.SignInFailed, user, email, "wrong password");
        await lockout.FailedAsync(key, user, ctx.RequestAborted);
        return Refuse(WrongPasswordMessage);
    }

    /// <summary>The one answer to a wrong password and to an unknown email.</summary>
    public const string WrongPasswordMessage = "Wrong email or password.";

    /// <summary>The second step: the user whose password was right is held in Identity's two-factor cookie (a few minutes).</summary>
    private static async Task<IResult> TwoFactorPageAsync(
        HttpContext ctx, IAntiforgery af, SignInManager<User> signIn, [FromQuery(Name = "ReturnUrl")] string? returnUrl)
    {
        var target = Target(returnUrl);
        return await signIn.GetTwoFactorAuthenticationUserAsync() is null
            ? Results.Redirect("/account/login?ReturnUrl=" + Uri.EscapeDataString(target))
            : HtmlPages.TwoFactor(af.GetAndStoreTokens(ctx), target, null);
    }

    private static async Task<IResult> TwoFactorAsync(
        HttpContext ctx,
        IAntiforgery af,
        SignInManager<User> signIn,
        SignInThrottle throttle,
        AuditLog audit,
        HamachiDbContext db,
        [FromForm] string? code,
        [FromForm] string? returnUrl)
    {
        var target = Target(returnUrl);
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return Results.Redirect("/account/login?ReturnUrl=" + Uri.EscapeDataString(target));
        }

        IResult Refuse(string error, int status = StatusCodes.Status401Unauthorized)
        {
            ctx.Response.StatusCode = status;
            return HtmlPages.TwoFactor(af.GetAndStoreTokens(ctx), target, error);
        }

        // Wrong codes count like wrong passwords, against the account and the address.
        var address = ctx.Connection.RemoteIpAddress;
        var key = SignInThrottle.SignInKey(user.Email);
        var wait = throttle.Wait(key, address);
        if (wait > TimeSpan.Zero)
        {
            ctx.Response.Headers.RetryAfter = SignInThrottle.Seconds(wait).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Refuse(SignInThrottle.Describe(wait), StatusCodes.Status429TooManyRequests);
        }

        if (string.IsNullOrWhiteSpace(code) || code.Length > 64)
        {
            return Refuse("Type the 6-digit code of your authenticator app, or a recovery code.");
        }

        var digits = TwoFactor.TwoFactorService.AuthenticatorDigits(code);
        var result = digits is not null
            ? await signIn.TwoFactorAuthenticatorSignInAsync(digits, isPersistent: false, rememberClient: false)
            : await signIn.TwoFactorRecoveryCodeSignInAsync(code.Trim());
        if (result.Succeeded)
        {
            throttle.Succeeded(key, address);
            await SignInAudit.RecordAsync(ctx, SignInAudit.SignedIn, user, user.Email, digits is null ? "password and recovery code" : "password and authenticator code");
            if (digits is null)
            {
                audit.Record(user.Id, "account.recovery_code_used", "user", user.Id, "sign-in");
                await db.SaveChangesAsync();
            }

            return user.MustChangePassword ? RedirectToChangePassword(target) : Results.Redirect(target);
        }

        throttle.Failed(key, address);
        await SignInAudit.RecordAsync(ctx, SignInAudit.SignInFailed, user, user.Email, "wrong two-factor code");
        return Refuse(digits is null ? "That recovery code is wrong or was already used."
            : "That code is wrong or has expired: type the code the app shows now.");
    }

    /// <summary>The form of <see cref="HtmlPages.ConfirmEmailFirst"/>: mails the link again (same answer whatever the address).</summary>
    private static async Task<IResult> ResendConfirmationAsync(
        HttpContext ctx,
        IAntiforgery af,
        IOptions<IdentityServerOptions> options,
        Accounts.EmailConfirmationService confirmations,
        [FromForm] string? email,
        [FromForm] string? returnUrl,
        CancellationToken ct)
    {
        if (Accounts.EmailAddresses.IsValid(email))
        {
            await confirmations.ResendAsync(new Contracts.Accounts.ResendConfirmationRequest(email!), ct);
        }

        return HtmlPages.Login(af.GetAndStoreTokens(ctx), Target(returnUrl), options.Value.PortalUrl, null, email,
            "If that address has an account waiting for confirmation, a new link is on its way. Open it, then sign in.");
    }

    private static async Task<IResult> ChangePasswordPageAsync(
        HttpContext ctx, IAntiforgery af, UserManager<User> users, [FromQuery(Name = "ReturnUrl")] string? returnUrl)
    {
        var user = await SessionUserAsync(ctx, users);
        if (user is null)
        {
            return Challenge(ctx);
        }

        return HtmlPages.ChangePassword(af.GetAndStoreTokens(ctx), IsLocal(returnUrl) ? returnUrl! : "/", user.MustChangePassword, null);
    }

    private static async Task<IResult> ChangePasswordAsync(
        HttpContext ctx,
        IAntiforgery af,
        SignInManager<User> signIn,
        SignInThrottle throttle,
        Sessions.SessionService sessions,
        HamachiDbContext db,
        AuditLog audit,
        TimeProvider clock,
        [FromForm] string currentPassword,
        [FromForm] string newPassword,
        [FromForm] string confirmPassword,
        [FromForm] string? returnUrl)
    {
        var users = signIn.UserManager;
        var target = IsLocal(returnUrl) ? returnUrl! : "/";
        var user = await SessionUserAsync(ctx, users);
        if (user is null)
        {
            return Challenge(ctx);
        }

        IResult Refuse(int status, string error)
        {
            ctx.Response.StatusCode = status;
            return HtmlPages.ChangePassword(af.GetAndStoreTokens(ctx), target, user.MustChangePassword, error);
        }

        if (OneTimePasswordExpired(user, clock))
        {
            await signIn.SignOutAsync();
            return Refuse(StatusCodes.Status401Unauthorized, ExpiredMessage(user));
        }

        if (newPassword != confirmPassword)
        {
            return Refuse(StatusCodes.Status400BadRequest, "The two new passwords differ.");
        }

        if (newPassword == currentPassword)
        {
            return Refuse(StatusCodes.Status400BadRequest, "The new password must differ from the current one.");
        }

        var key = SignInThrottle.StepUpKey(user.Id);
        var address = ctx.Connection.RemoteIpAddress;
        var wait = throttle.Wait(key, address);
        if (wait > TimeSpan.Zero)
        {
            ctx.Response.Headers.RetryAfter = SignInThrottle.Seconds(wait).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Refuse(StatusCodes.Status429TooManyRequests, SignInThrottle.Describe(wait));
        }

        // Flag, password and audit event are saved together by the store (one SaveChanges), or not at all.
        var wasOneTime = user.MustChangePassword;
        user.MustChangePassword = false;
        user.OneTimePasswordExpiresAt = null;
        audit.Record(user.Id, "account.password_changed", "user", user.Id, wasOneTime ? "one-time password replaced" : null);
        var changed = await users.ChangePasswordAsync(user, currentPassword, newPassword);
        if (!changed.Succeeded)
        {
            db.ChangeTracker.Clear();
            user = (await users.FindByIdAsync(user.Id.ToString()))!;
            if (changed.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
            {
                throttle.Failed(key, address);
                return Refuse(StatusCodes.Status400BadRequest, "The current password is wrong.");
            }

            return Refuse(StatusCodes.Status400BadRequest, string.Join(" ", changed.Errors.Select(e => e.Description)));
        }

        // Whoever knew the old password is out: every OAuth session (Portal, CLI) and its tokens are revoked.
        // The new security stamp would end this cookie session at its next check; re-issue the cookie.
        throttle.Succeeded(key, address);
        await sessions.RevokeAllAsync(user.Id, "password changed", ctx.RequestAborted);
        await signIn.RefreshSignInAsync(user);
        return Results.Redirect(target);
    }

    private static async Task<User?> SessionUserAsync(HttpContext ctx, UserManager<User> users)
    {
        var session = await ctx.AuthenticateAsync(OpenIddictSetup.CookieScheme);
        return session.Succeeded ? await users.GetUserAsync(session.Principal!) : null;
    }

    private static IResult Challenge(HttpContext ctx) => Results.Challenge(
        new AuthenticationProperties { RedirectUri = ctx.Request.PathBase + ctx.Request.Path + ctx.Request.QueryString },
        [OpenIddictSetup.CookieScheme]);

    private static bool OneTimePasswordExpired(User user, TimeProvider clock) =>
        user is { MustChangePassword: true, OneTimePasswordExpiresAt: { } expires } && expires <= clock.GetUtcNow();

    private static string ExpiredMessage(User user) =>
        $"This one-time password expired at {user.OneTimePasswordExpiresAt:yyyy-MM-dd HH:mm} UTC. The operator gets a new one by running "
        + $"the Api with `{DatabaseInitializer.ResetCommand}` (e.g. `./run.sh {DatabaseInitializer.ResetCommand}`).";

    private static string Target(string? returnUrl) => IsLocal(returnUrl) ? returnUrl! : "/";

    private static bool IsLocal(string? url) => ReturnUrls.IsLocal(url);
}
