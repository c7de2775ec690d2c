using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace HamachiCloud.Api.Identity;

/// <summary>The sign-in page behind the authorize and verify endpoints (Identity cookie, lockout).</summary>
internal static class LoginEndpoints
{
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
        app.MapGet("/connect/verify/done", ([FromQuery] bool approved) => approved
            ? HtmlPages.Message("Device approved", "You can close this window; the device finishes signing in by itself.")
            : HtmlPages.Message("Device denied", "The request was denied; nothing was added to your account.")).ExcludeFromDescription();
    }

    private static async Task<IResult> LoginAsync(
        HttpContext ctx,
        IAntiforgery af,
        SignInManager<User> signIn,
        [FromForm] string email,
        [FromForm] string password,
        [FromForm] string? returnUrl)
    {
        var target = IsLocal(returnUrl) ? returnUrl! : "/";
        var user = await signIn.UserManager.FindByEmailAsync(email);
        var result = user is null
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return Results.Redirect(target);
        }

        ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
        var error = result.IsLockedOut
            ? "Too many failed attempts: the account is locked for a while."
            : "Wrong email or password.";
        return HtmlPages.Login(af.GetAndStoreTokens(ctx), target, error);
    }

    /// <summary>Only same-site paths: "/x" but not "//host" or "/\host" (open-redirect guard).</summary>
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
