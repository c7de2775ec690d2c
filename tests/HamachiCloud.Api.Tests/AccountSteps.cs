using System.Text.RegularExpressions;
using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// What a person does with the account mails: read them from the Api's pickup directory, follow the
/// links; and the sign-in steps with an authenticator.
/// </summary>
public static partial class AccountSteps
{
    public const string Password = "correct horse battery staple";

    /// <summary>The mails sent to <paramref name="email"/> so far, oldest first.</summary>
    public static List<MimeMessage> MailsTo(ApiFactory f, string email)
    {
        if (!Directory.Exists(f.MailDirectory))
        {
            return [];
        }

        return Directory.GetFiles(f.MailDirectory, "*.eml").Order(StringComparer.Ordinal)
            .Select(path => MimeMessage.Load(path))
            .Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, email, StringComparison.OrdinalIgnoreCase)))
            .ToList();
    }

    /// <summary>The (userId, code) of the latest confirmation link mailed to <paramref name="email"/>.</summary>
    public static (Guid UserId, string Code) ConfirmationLink(ApiFactory f, string email)
    {
        var mail = MailsTo(f, email).LastOrDefault(m => (m.TextBody ?? "").Contains("/account/confirm-email?", StringComparison.Ordinal));
        Assert.True(mail is not null, $"no confirmation mail to {email} in {f.MailDirectory}");
        var match = ConfirmLink().Match(mail.TextBody ?? "");
        Assert.True(match.Success, mail.TextBody);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(match.Value), mail.HtmlBody, StringComparison.Ordinal); // the HTML part has the same link
        return (Guid.Parse(match.Groups[1].Value), match.Groups[2].Value);
    }

    /// <summary>The code of the latest reset link mailed to <paramref name="email"/> (and checks the link's email).</summary>
    public static string ResetCode(ApiFactory f, string email)
    {
        var mail = MailsTo(f, email).LastOrDefault(m => (m.TextBody ?? "").Contains("/account/reset-password?", StringComparison.Ordinal));
        Assert.True(mail is not null, $"no reset mail to {email}");
        var match = ResetLink().Match(mail.TextBody ?? "");
        Assert.True(match.Success, mail.TextBody);
        Assert.Equal(email, Uri.UnescapeDataString(match.Groups[1].Value));
        return match.Groups[2].Value;
    }

    /// <summary>Registers, confirms through the mailed link and signs in (code + PKCE).</summary>
    public static async Task<TestUser> CreateConfirmedAsync(ApiFactory f, string name = "user")
    {
        var email = $"{name}-{Guid.NewGuid():N}@example.test";
        var anonymous = new HamachiClient(f.CreateClient());
        var account = await anonymous.RegisterAsync(new RegisterRequest(email, Password, name));
        var (userId, code) = ConfirmationLink(f, email);
        await anonymous.ConfirmEmailAsync(new ConfirmEmailRequest(userId, code));
        var tokens = await OAuthFlows.SignInWithCodeAsync(f, email, Password);
        var client = new HamachiClient(f.CreateClient());
        client.UseAccessToken(tokens.AccessToken);
        return new TestUser(account.Id, email, Password, client, tokens);
    }

    public static async Task GrantRoleAsync(ApiFactory f, Guid userId, string role)
    {
        using var scope = f.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var user = await users.FindByIdAsync(userId.ToString());
        Assert.True((await users.AddToRoleAsync(user!, role)).Succeeded);
    }

    /// <summary>Sets up and enables two-factor for <paramref name="user"/>; returns the shared key and the recovery codes.</summary>
    public static async Task<(string SharedKey, IReadOnlyList<string> RecoveryCodes)> EnableTwoFactorAsync(TestUser user)
    {
        var setup = await user.Client.SetupTwoFactorAsync();
        var enabled = await user.Client.EnableTwoFactorAsync(new TwoFactorCodeRequest(Totp.Code(setup.SharedKey, TimeProvider.System.GetUtcNow())));
        return (setup.SharedKey, enabled.RecoveryCodes);
    }

    /// <summary>The sign-in form then the two-factor step; returns the answer to the second step.</summary>
    public static async Task<HttpResponseMessage> SignInWithSecondFactorAsync(HttpClient browser, string email, string password, string code, string returnUrl = "/")
    {
        var first = await OAuthFlows.LoginAsync(browser, email, password, returnUrl);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, first.StatusCode);
        var step = first.Headers.Location!.ToString();
        Assert.Equal("/account/login/two-factor?ReturnUrl=" + Uri.EscapeDataString(returnUrl), step);
        var page = await browser.GetStringAsync(step);
        return await browser.PostAsync("/account/login/two-factor", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["code"] = code,
            ["returnUrl"] = returnUrl,
            ["__RequestVerificationToken"] = OAuthFlows.Antiforgery(page),
        }));
    }

    [GeneratedRegex(@"https?://[^\s/]+/account/confirm-email\?userId=([0-9a-f-]{36})&code=([A-Za-z0-9_-]+)")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex(@"https?://[^\s/]+/account/reset-password\?email=([^&\s]+)&code=([A-Za-z0-9_-]+)")]
    private static partial Regex ResetLink();
}
