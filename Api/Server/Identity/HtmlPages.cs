using System.Net;
using Microsoft.AspNetCore.Antiforgery;

namespace HamachiCloud.Api.Identity;

/// <summary>
/// The few pages the Api serves itself (sign-in and its two-factor step, password change, device-code
/// approval, messages), in the Portal's look through the one external stylesheet <see cref="PageStyles"/>
/// (no inline styles or scripts). Every value written into them is HTML-encoded; every form carries the
/// antiforgery token; every input has a label; form errors are announced (<c>role="alert"</c>).
/// </summary>
internal static class HtmlPages
{
    public static IResult Login(AntiforgeryTokenSet token, string returnUrl, string portalUrl, string? error, string? email = null, string? notice = null) => Page(
        "Sign in",
        $"""
        {Notice(notice)}
        <form method="post" action="/account/login" novalidate>
          {Hidden(token)}
          <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
          {Field("email", "Email", "email", "username", error is not null, value: email, extra: "required autofocus")}
          <div class="field">
            <label for="password">Password</label>
            <a class="corner" href="{E(portalUrl)}/account/forgot-password">Forgot password?</a>
            <input id="password" name="password" type="password" autocomplete="current-password" required{Invalid(error is not null)}>
          </div>
          {Error(error)}
          <div class="actions"><button class="btn btn-filled btn-block" type="submit">Sign in</button></div>
        </form>
        <p class="links"><span class="muted">New to HamachiCloud?</span> <a href="{E(portalUrl)}/signup">Create an account</a></p>
        """);

    /// <summary>The step after a right password on an account with two-factor authentication.</summary>
    public static IResult TwoFactor(AntiforgeryTokenSet token, string returnUrl, string? error) => Page(
        "Two-factor authentication",
        $"""
        <p>Open your authenticator app and type the 6-digit code it shows for HamachiCloud. Lost your phone? Type one of your recovery codes instead.</p>
        <form method="post" action="/account/login/two-factor" novalidate>
          {Hidden(token)}
          <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
          <div class="field">
            <label for="code">Authentication code or recovery code</label>
            <input id="code" class="code-input" name="code" type="text" inputmode="text" autocomplete="one-time-code" maxlength="64" required autofocus
              aria-describedby="code-hint"{Invalid(error is not null)}>
            <span id="code-hint" class="hint">6 digits, e.g. 123 456; a recovery code looks like ABCDE-FGHJK and works once.</span>
          </div>
          {Error(error)}
          <div class="actions"><button class="btn btn-filled btn-block" type="submit">Verify</button></div>
        </form>
        <p class="links"><a href="/account/login?ReturnUrl={Uri.EscapeDataString(returnUrl)}">Back to sign-in</a></p>
        """);

    /// <summary>The sign-in page's answer for a right password on an account whose email is not confirmed yet.</summary>
    public static IResult ConfirmEmailFirst(AntiforgeryTokenSet token, string email, string returnUrl) => Page(
        "Confirm your email first",
        $"""
        <p class="error" role="alert">Your email address is not confirmed yet. Open the link we mailed to <strong>{E(email)}</strong>, then sign in again.</p>
        <form method="post" action="/account/resend-confirmation">
          {Hidden(token)}
          <input type="hidden" name="email" value="{E(email)}">
          <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
          <p class="muted">No mail? Look in the spam folder, or have it sent again.</p>
          <div class="actions"><button class="btn btn-outlined" type="submit">Send the link again</button></div>
        </form>
        <p class="links"><a href="/account/login?ReturnUrl={Uri.EscapeDataString(returnUrl)}">Back to sign-in</a></p>
        """);

    public static IResult ChangePassword(AntiforgeryTokenSet token, string returnUrl, bool oneTime, string? error) => Page(
        "Choose your password",
        $"""
        {(oneTime ? "<p>You signed in with a one-time password. Choose your own password before you continue.</p>" : "")}
        <form method="post" action="/account/change-password" novalidate>
          {Hidden(token)}
          <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
          {Field("currentPassword", "Current password", "password", "current-password", false, extra: "required")}
          {Field("newPassword", "New password (at least 10 characters)", "password", "new-password", error is not null, extra: "minlength=\"10\" required")}
          {Field("confirmPassword", "New password again", "password", "new-password", error is not null, extra: "required")}
          {Error(error)}
          <div class="actions"><button class="btn btn-filled btn-block" type="submit">Change password</button></div>
        </form>
        """);

    public static IResult Verify(AntiforgeryTokenSet token, string userCode, string? message) => Page(
        "Approve a device",
        $"""
        <p>Enter the code <code>hamachi login</code> shows, then approve to add that device to your account.</p>
        <form method="post" action="/connect/verify" novalidate>
          {Hidden(token)}
          {Field("user_code", "Code", "text", "off", message is not null, value: userCode, extra: "required class=\"code-input\"")}
          {Error(message)}
          <div class="actions">
            <button class="btn btn-filled" type="submit" name="action" value="approve">Approve</button>
            <button class="btn btn-outlined" type="submit" name="action" value="deny">Deny</button>
          </div>
        </form>
        """);

    public static IResult Message(string title, string text) => Page(title, $"<p>{E(text)}</p>");

    private static string Field(string name, string label, string type, string autocomplete, bool invalid, string? value = null, string extra = "") =>
        $"""
        <div class="field">
            <label for="{E(name)}">{E(label)}</label>
            <input id="{E(name)}" name="{E(name)}" type="{E(type)}" autocomplete="{E(autocomplete)}"{(value is null ? "" : $" value=\"{E(value)}\"")} {extra}{Invalid(invalid)}>
          </div>
        """;

    private static string Invalid(bool invalid) => invalid ? " aria-invalid=\"true\" aria-errormessage=\"form-error\"" : "";

    private static string Error(string? error) => error is null ? "" : $"<p id=\"form-error\" class=\"error\" role=\"alert\">{E(error)}</p>";

    private static string Notice(string? notice) => notice is null ? "" : $"<p class=\"notice\" role=\"status\">{E(notice)}</p>";

    private static string Hidden(AntiforgeryTokenSet token) =>
        $"<input type=\"hidden\" name=\"{E(token.FormFieldName)}\" value=\"{E(token.RequestToken ?? "")}\">";

    private static string E(string value) => WebUtility.HtmlEncode(value);

    private static IResult Page(string title, string body) => Results.Content(
        $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>{E(title)} · HamachiCloud</title>
        <link rel="stylesheet" href="{PageStyles.VersionedPath}">
        </head><body>
        <main class="card">
        <div class="brand"><span class="logo" aria-hidden="true">H</span>HamachiCloud</div>
        <h1>{E(title)}</h1>
        {body}
        </main>
        </body></html>
        """,
        "text/html; charset=utf-8");
}
