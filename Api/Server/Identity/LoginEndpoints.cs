using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace HamachiCloud.Api.Identity;

/// <summary>
/// The sign-in page behind the authorize and verify endpoints (Identity cookie, lockout), and the
/// change-password page a one-time password (the first admin's) leads to before anything else.
/// </summary>
internal static class LoginEndpoints
{
    public const string ChangePasswordPath = "/account/change-password";

    public static void MapLoginEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").ExcludeFromDescription();
        account.MapGet("/login", (HttpContext ctx, IAntiforgery af, [FromQuery(Name = "ReturnUrl")] string? returnUrl) =>
            HtmlPages.Login(af.GetAndStoreTokens(ctx), returnUrl ?? "/", null));
        account.MapPost("/login", LoginAsync);
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

    private static async Task<IResult> LoginAsync(
        HttpContext ctx,
        IAntiforgery af,
        SignInManager<User> signIn,
        TimeProvider clock,
        [FromForm] string email,
        [FromForm] string password,
        [FromForm] string? returnUrl)
    {
        var target = IsLocal(returnUrl) ? returnUrl! : "/";
        var user = await signIn.UserManager.FindByEmailAsync(email);
        var expired = user is not null && OneTimePasswordExpired(user, clock);
        var result = user is null
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : expired
                ? await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true)
                : await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded && !expired)
        {
            return user!.MustChangePassword ? RedirectToChangePassword(target) : Results.Redirect(target);
        }

        ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
        var error = result.IsLockedOut ? "Too many failed attempts: the account is locked for a while."
            : result.Succeeded ? ExpiredMessage(user!)
            : "Wrong email or password.";
        return HtmlPages.Login(af.GetAndStoreTokens(ctx), target, error);
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
                await users.AccessFailedAsync(user);
                if (await users.IsLockedOutAsync(user))
                {
                    await signIn.SignOutAsync();
                    return Refuse(StatusCodes.Status401Unauthorized, "Too many failed attempts: the account is locked for a while.");
                }

                return Refuse(StatusCodes.Status400BadRequest, "The current password is wrong.");
            }

            return Refuse(StatusCodes.Status400BadRequest, string.Join(" ", changed.Errors.Select(e => e.Description)));
        }

        // The new security stamp would end this session at its next check; re-issue the cookie.
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

    /// <summary>Only same-site paths: "/x" but not "//host" or "/\host" (open-redirect guard).</summary>
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
