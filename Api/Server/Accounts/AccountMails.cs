using System.Net;
using System.Text;
using HamachiCloud.Api.Identity;
using HamachiCloud.Api.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Accounts;

/// <summary>
/// The account mails: email confirmation and password reset, each with a link to the Portal
/// (<c>Identity:PortalUrl</c>) carrying an Identity token as base64url. Delivery is best effort:
/// a failure is logged and the request still succeeds (the user can ask again), so neither
/// registration nor "forgot password" fails or tells anything because a mail server is down.
/// </summary>
internal sealed class AccountMails(UserManager<User> users, MailSender sender, IOptions<IdentityServerOptions> identity, ILogger<AccountMails> log)
{
    public const string ConfirmPath = "/account/confirm-email";
    public const string ResetPath = "/account/reset-password";

    public async Task SendConfirmationAsync(User user, CancellationToken ct)
    {
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        var link = $"{identity.Value.PortalUrl}{ConfirmPath}?userId={user.Id}&code={Encode(token)}";
        await TrySendAsync(Compose(
            user.Email!,
            "Confirm your HamachiCloud account",
            $"Hello {user.DisplayName},",
            "please confirm your email address to finish creating your HamachiCloud account:",
            link,
            "Confirm email",
            "If you did not create an account, ignore this message."), ct);
    }

    public async Task SendPasswordResetAsync(User user, CancellationToken ct)
    {
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var link = $"{identity.Value.PortalUrl}{ResetPath}?email={Uri.EscapeDataString(user.Email!)}&code={Encode(token)}";
        await TrySendAsync(Compose(
            user.Email!,
            "Reset your HamachiCloud password",
            $"Hello {user.DisplayName},",
            "someone (hopefully you) asked to reset the password of your HamachiCloud account. Choose a new one here:",
            link,
            "Reset password",
            "The link works once and expires within a day. If you did not ask, ignore this message: your password stays as it is."), ct);
    }

    /// <summary>The token as it travels in links (base64url of its UTF-8 bytes).</summary>
    public static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    /// <summary>The token from a link's <c>code</c>; null when it is not base64url.</summary>
    public static string? Decode(string? code)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 2048)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code.Trim()));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private async Task TrySendAsync(OutgoingMail mail, CancellationToken ct)
    {
        try
        {
            await sender.SendAsync(mail, ct);
        }
        catch (MailException e)
        {
            log.LogError(e, "account mail not delivered: {Reason}", e.Message);
        }
    }

    internal static OutgoingMail Compose(string to, string subject, string greeting, string intro, string link, string action, string footer)
    {
        var text = $"{greeting}\n\n{intro}\n\n{link}\n\n{footer}\n\n-- HamachiCloud\n";
        var html = $"""
            <!doctype html>
            <html lang="en"><body style="font-family:system-ui,Roboto,sans-serif;color:#1f1f29">
            <p>{E(greeting)}</p>
            <p>{E(intro)}</p>
            <p><a href="{E(link)}" style="display:inline-block;background:#594AE2;color:#fff;padding:10px 18px;border-radius:4px;text-decoration:none">{E(action)}</a></p>
            <p>Or open this address: <br><a href="{E(link)}">{E(link)}</a></p>
            <p style="color:#666">{E(footer)}</p>
            </body></html>
            """;
        return new OutgoingMail(to, subject, text, html);
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
