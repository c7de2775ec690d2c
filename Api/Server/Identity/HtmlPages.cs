using System.Net;
using Microsoft.AspNetCore.Antiforgery;

namespace HamachiCloud.Api.Identity;

/// <summary>
/// The few plain pages the Api serves itself (sign-in, password change, device-code approval) until the Portal
/// takes them over. Every value written into them is HTML-encoded.
/// </summary>
internal static class HtmlPages
{
    public static IResult Login(AntiforgeryTokenSet token, string returnUrl, string? error) => Page(
        "Sign in",
        $"""
        <form method="post" action="/account/login">
          {Hidden(token)}
          <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
          <label>Email <input name="email" type="email" autocomplete="username" required></label>
          <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
          {(error is null ? "" : $"<p class=\"error\">{E(error)}</p>")}
          <button type="submit">Sign in</button>
        </form>
        """);

    public static IResult ChangePassword(AntiforgeryTokenSet token, string returnUrl, bool oneTime, string? error) => Page(
        "Choose your password",
        $"""
        {(oneTime ? "<p>You signed in with a one-time password. Choose your own password before you continue.</p>" : "")}
        <form method="post" action="/account/change-password">
          {Hidden(token)}
          <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
          <label>Current password <input name="currentPassword" type="password" autocomplete="current-password" required></label>
          <label>New password (at least 10 characters) <input name="newPassword" type="password" autocomplete="new-password" minlength="10" required></label>
          <label>New password again <input name="confirmPassword" type="password" autocomplete="new-password" required></label>
          {(error is null ? "" : $"<p class=\"error\">{E(error)}</p>")}
          <button type="submit">Change password</button>
        </form>
        """);

    public static IResult Verify(AntiforgeryTokenSet token, string userCode, string? message) => Page(
        "Approve a device",
        $"""
        <p>Enter the code <code>hamachi login</code> shows, then approve to add that device to your account.</p>
        <form method="post" action="/connect/verify">
          {Hidden(token)}
          <label>Code <input name="user_code" value="{E(userCode)}" autocomplete="off" required></label>
          {(message is null ? "" : $"<p class=\"error\">{E(message)}</p>")}
          <button type="submit" name="action" value="approve">Approve</button>
          <button type="submit" name="action" value="deny">Deny</button>
        </form>
        """);

    public static IResult Message(string title, string text) => Page(title, $"<p>{E(text)}</p>");

    private static string Hidden(AntiforgeryTokenSet token) =>
        $"<input type=\"hidden\" name=\"{E(token.FormFieldName)}\" value=\"{E(token.RequestToken ?? "")}\">";

    private static string E(string value) => WebUtility.HtmlEncode(value);

    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto}label{display:block;margin:.6rem 0}input{width:100%}.error{color:#b00}";

    private static IResult Page(string title, string body) => Results.Content(
        $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>{E(title)} · HamachiCloud</title>
        <style>{Style}</style>
        </head><body><h1>{E(title)}</h1>
        {body}
        </body></html>
        """,
        "text/html; charset=utf-8");
}
