using System.Net;
using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Email confirmation, forgot / reset password and the REST password change, end to end through the mails
/// the Api writes to its pickup directory, with <c>Identity:RequireConfirmedEmail</c> on.
/// </summary>
public abstract class AccountRecoveryTests(AccountWorld world)
{
    [SkippableFact]
    public async Task Registration_mails_a_confirmation_link_and_sign_in_waits_for_it()
    {
        var f = await world.GetAsync();
        var email = $"new-{Guid.NewGuid():N}@example.test";
        var anonymous = new HamachiClient(f.CreateClient());
        var account = await anonymous.RegisterAsync(new RegisterRequest(email, AccountSteps.Password, "New"));

        Assert.False(account.EmailConfirmed);
        var mail = Assert.Single(AccountSteps.MailsTo(f, email));
        Assert.Equal("Confirm your HamachiCloud account", mail.Subject);
        Assert.Contains("no-reply@hamachi.local", mail.From.ToString(), StringComparison.Ordinal);
        Assert.Contains(AccountWorld.PortalUrl + "/account/confirm-email?userId=" + account.Id, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("<a href=", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Matches(@"^\d{8}-\d{6}-[0-9a-f]{32}\.eml$", Path.GetFileName(Directory.GetFiles(f.MailDirectory, "*.eml").Order(StringComparer.Ordinal).Last()));

        // Before confirming: the right password is refused with a clear message and does not count as a failure.
        using var browser = OAuthFlows.Browser(f);
        async Task<string> refusedPageAsync() => await (await OAuthFlows.LoginAsync(browser, email, AccountSteps.Password)).Content.ReadAsStringAsync();
        for (var i = 0; i < 6; i++)
        {
            var refused = await OAuthFlows.LoginAsync(browser, email, AccountSteps.Password);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("not confirmed yet", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var forged = await browser.PostAsync("/account/resend-confirmation", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode); // no antiforgery token
        Assert.Single(AccountSteps.MailsTo(f, email));
        var resendPage = await refusedPageAsync();
        using var resend = await browser.PostAsync("/account/resend-confirmation", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["__RequestVerificationToken"] = OAuthFlows.Antiforgery(resendPage),
        }));
        Assert.Equal(HttpStatusCode.OK, resend.StatusCode);
        Assert.Equal(2, AccountSteps.MailsTo(f, email).Count);

        var wrong = await OAuthFlows.LoginAsync(browser, email, "not the password at all");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.DoesNotContain("not confirmed", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A wrong code, an unknown user and garbage all get the same 400 invalid_token.
        var (userId, code) = AccountSteps.ConfirmationLink(f, email);
        foreach (var bad in new[] { new ConfirmEmailRequest(userId, code[..^4] + "AAAA"), new ConfirmEmailRequest(Guid.NewGuid(), code), new ConfirmEmailRequest(userId, "%%%") })
        {
            var e = await Assert.ThrowsAsync<HamachiApiException>(() => anonymous.ConfirmEmailAsync(bad));
            Assert.Equal((400, ErrorCodes.InvalidToken), (e.Status, e.Code));
            Assert.Contains("resend-confirmation", e.Problem.Detail, StringComparison.Ordinal);
        }

        var missing = await Assert.ThrowsAsync<HamachiApiException>(() => anonymous.ConfirmEmailAsync(new ConfirmEmailRequest(Guid.Empty, "")));
        Assert.Equal((400, ErrorCodes.ValidationFailed), (missing.Status, missing.Code));
        Assert.True(missing.Problem.Errors!.ContainsKey("userId") && missing.Problem.Errors.ContainsKey("code"));

        await anonymous.ConfirmEmailAsync(new ConfirmEmailRequest(userId, code));
        await anonymous.ConfirmEmailAsync(new ConfirmEmailRequest(userId, code)); // a second click is fine
        var tokens = await OAuthFlows.SignInWithCodeAsync(f, email, AccountSteps.Password);
        var client = new HamachiClient(f.CreateClient());
        client.UseAccessToken(tokens.AccessToken);
        var me = await client.GetMeAsync();
        Assert.Equal((account.Id, true, false), (me.Id, me.EmailConfirmed, me.TwoFactorEnabled));
        Assert.Contains(await AuditActionsAsync(f, account.Id), a => a == "account.email_confirmed");
    }

    [SkippableFact]
    public async Task Resend_confirmation_answers_the_same_for_any_address_and_mails_only_unconfirmed_accounts()
    {
        var f = await world.GetAsync();
        var anonymous = new HamachiClient(f.CreateClient());
        var email = $"resend-{Guid.NewGuid():N}@example.test";
        await anonymous.RegisterAsync(new RegisterRequest(email, AccountSteps.Password));
        await anonymous.ResendConfirmationAsync(new ResendConfirmationRequest(email));
        Assert.Equal(2, AccountSteps.MailsTo(f, email).Count);

        var nobody = $"nobody-{Guid.NewGuid():N}@example.test";
        await anonymous.ResendConfirmationAsync(new ResendConfirmationRequest(nobody)); // 202 too
        Assert.Empty(AccountSteps.MailsTo(f, nobody));

        // The older link still works (Identity's tokens are not single-use until the stamp changes).
        var (userId, code) = AccountSteps.ConfirmationLink(f, email);
        await anonymous.ConfirmEmailAsync(new ConfirmEmailRequest(userId, code));
        await anonymous.ResendConfirmationAsync(new ResendConfirmationRequest(email));
        Assert.Equal(2, AccountSteps.MailsTo(f, email).Count); // confirmed: nothing more

        using var http = f.CreateClient();
        using var status = await http.PostAsync("/api/v1/accounts/resend-confirmation", System.Net.Http.Json.JsonContent.Create(new { email = nobody }));
        Assert.Equal(HttpStatusCode.Accepted, status.StatusCode);
        var bad = await Assert.ThrowsAsync<HamachiApiException>(() => anonymous.ResendConfirmationAsync(new ResendConfirmationRequest("not an address")));
        Assert.Equal(400, bad.Status);
        Assert.True(bad.Problem.Errors!.ContainsKey("email"));
    }

    [SkippableFact]
    public async Task Forgot_password_mails_a_link_that_resets_once_and_ends_the_sessions()
    {
        var f = await world.GetAsync();
        var user = await AccountSteps.CreateConfirmedAsync(f, "forgetful");
        var anonymous = new HamachiClient(f.CreateClient());

        var nobody = $"nobody-{Guid.NewGuid():N}@example.test";
        await anonymous.ForgotPasswordAsync(new ForgotPasswordRequest(nobody));
        Assert.Empty(AccountSteps.MailsTo(f, nobody));
        await anonymous.ForgotPasswordAsync(new ForgotPasswordRequest(user.Email));
        var code = AccountSteps.ResetCode(f, user.Email);

        var weak = await Assert.ThrowsAsync<HamachiApiException>(() => anonymous.ResetPasswordAsync(new ResetPasswordRequest(user.Email, code, "short")));
        Assert.Equal((400, ErrorCodes.WeakPassword), (weak.Status, weak.Code));
        Assert.Contains("newPassword", weak.Problem.Errors!.Keys);
        var wrongEmail = await Assert.ThrowsAsync<HamachiApiException>(() => anonymous.ResetPasswordAsync(new ResetPasswordRequest(nobody, code, "a brand new passphrase")));
        Assert.Equal((400, ErrorCodes.InvalidToken), (wrongEmail.Status, wrongEmail.Code));

        const string newPassword = "a brand new passphrase";
        await anonymous.ResetPasswordAsync(new ResetPasswordRequest(user.Email, code, newPassword));
        var again = await Assert.ThrowsAsync<HamachiApiException>(() => anonymous.ResetPasswordAsync(new ResetPasswordRequest(user.Email, code, "yet another passphrase")));
        Assert.Equal((400, ErrorCodes.InvalidToken), (again.Status, again.Code));

        // Old password out, new one in; the refresh token of the session from before is revoked.
        using var browser = OAuthFlows.Browser(f);
        Assert.Equal(HttpStatusCode.Unauthorized, (await OAuthFlows.LoginAsync(browser, user.Email, user.Password)).StatusCode);
        await OAuthFlows.SignInWithCodeAsync(f, user.Email, newPassword);
        using var http = f.CreateClient();
        var (refreshStatus, refresh) = await OAuthFlows.PostFormAsync(http, "/connect/token", new()
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "hamachi-portal",
            ["refresh_token"] = user.Tokens.RefreshToken!,
        });
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (refreshStatus, refresh.GetProperty("error").GetString()));
        Assert.Contains(await AuditActionsAsync(f, user.Id), a => a == "account.password_reset");
    }

    [SkippableFact]
    public async Task An_unconfirmed_account_gets_no_reset_mail()
    {
        var f = await world.GetAsync();
        var anonymous = new HamachiClient(f.CreateClient());
        var email = $"unconfirmed-{Guid.NewGuid():N}@example.test";
        await anonymous.RegisterAsync(new RegisterRequest(email, AccountSteps.Password));
        await anonymous.ForgotPasswordAsync(new ForgotPasswordRequest(email));
        Assert.DoesNotContain(AccountSteps.MailsTo(f, email), m => (m.Subject ?? "").Contains("Reset", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Change_password_needs_the_current_one_and_a_strong_new_one()
    {
        var f = await world.GetAsync();
        var user = await AccountSteps.CreateConfirmedAsync(f, "changer");

        var wrong = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.ChangePasswordAsync(new ChangePasswordRequest("not it at all", "a new long passphrase")));
        Assert.Equal((400, ErrorCodes.WrongPassword), (wrong.Status, wrong.Code));
        Assert.Contains("currentPassword", wrong.Problem.Errors!.Keys);
        var weak = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.ChangePasswordAsync(new ChangePasswordRequest(user.Password, "short")));
        Assert.Equal((400, ErrorCodes.WeakPassword), (weak.Status, weak.Code));
        Assert.Contains("newPassword", weak.Problem.Errors!.Keys);
        var same = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.ChangePasswordAsync(new ChangePasswordRequest(user.Password, user.Password)));
        Assert.Equal((400, ErrorCodes.ValidationFailed), (same.Status, same.Code));
        var empty = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.ChangePasswordAsync(new ChangePasswordRequest(null!, null!)));
        Assert.Equal(400, empty.Status);

        await user.Client.ChangePasswordAsync(new ChangePasswordRequest(user.Password, "a new long passphrase"));
        using var browser = OAuthFlows.Browser(f);
        Assert.Equal(HttpStatusCode.Unauthorized, (await OAuthFlows.LoginAsync(browser, user.Email, user.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.LoginAsync(browser, user.Email, "a new long passphrase")).StatusCode);
        Assert.Contains(await AuditActionsAsync(f, user.Id), a => a == "account.password_changed");

        using var anonymous = f.CreateClient();
        using var unauthenticated = await anonymous.PostAsync("/api/v1/me/password", System.Net.Http.Json.JsonContent.Create(new { currentPassword = "x", newPassword = "y" }));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }

    [SkippableFact]
    public async Task Recovery_endpoints_are_rate_limited_per_address()
    {
        var f = await world.GetAsync();
        await using var limited = f.CreateSecondNode(new Dictionary<string, string> { ["RateLimits:AccountRecoveryPerMinute"] = "2" });
        var anonymous = new HamachiClient(limited.CreateClient());
        await anonymous.ForgotPasswordAsync(new ForgotPasswordRequest("a@example.test"));
        await anonymous.ResendConfirmationAsync(new ResendConfirmationRequest("a@example.test"));
        var third = await Assert.ThrowsAsync<HamachiApiException>(() => anonymous.ResetPasswordAsync(new ResetPasswordRequest("a@example.test", "AAAA", "whatever long")));
        Assert.Equal((429, ErrorCodes.RateLimited), (third.Status, third.Code));
    }

    private static async Task<List<string>> AuditActionsAsync(ApiFactory f, Guid userId)
    {
        using var scope = f.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
        return await db.AuditEvents.Where(e => e.ActorUserId == userId).Select(e => e.Action).ToListAsync();
    }
}

public sealed class SqliteAccountRecoveryTests(SqliteAccountWorld world) : AccountRecoveryTests(world), IClassFixture<SqliteAccountWorld>;

public sealed class PostgresAccountRecoveryTests(PostgresAccountWorld world) : AccountRecoveryTests(world), IClassFixture<PostgresAccountWorld>;
