using System.Net;
using System.Text.RegularExpressions;
using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Hosting;
using HamachiCloud.Data;
using HamachiCloud.Data.Entities;
using HamachiCloud.Migrations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// The first admin's printed password is one-time: it signs in only to the change-password page;
/// no code, device approval or token until replaced; it expires; reset-admin-password issues a new one.
/// Each test starts its own Api on a new database (the admin exists only there).
/// </summary>
public sealed partial class FirstAdminTests
{
    private const string AdminEmail = "admin@hamachi.local";
    private const string NewPassword = "my own admin passphrase";

    [Fact]
    public async Task The_printed_password_leads_to_the_change_page_and_gets_no_code_until_replaced()
    {
        await using var api = await FirstStartAsync();
        var f = api.Factory;
        var oneTime = api.PrintedPasswords().Single();
        Assert.DoesNotContain(api.Logs.Entries, e => e.Message.Contains(oneTime, StringComparison.Ordinal));
        var admin = await LoadAdminAsync(f);
        Assert.True(admin.MustChangePassword);
        var validFor = admin.OneTimePasswordExpiresAt!.Value - TimeProvider.System.GetUtcNow();
        Assert.InRange(validFor, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24));

        // Sign-in with the printed password succeeds but leads to the change page, keeping the return URL.
        using var browser = OAuthFlows.Browser(f);
        var (authorize, verifier) = AuthorizeUrl();
        var login = await OAuthFlows.LoginAsync(browser, AdminEmail, oneTime, authorize);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var changePage = login.Headers.Location!.ToString();
        Assert.Equal("/account/change-password?ReturnUrl=" + Uri.EscapeDataString(authorize), changePage);

        // Until replaced: the authorize endpoint sends the session to the change page, without a code.
        var before = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, before.StatusCode);
        Assert.StartsWith("/account/change-password?", before.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("code=", before.Headers.Location!.ToString(), StringComparison.Ordinal);

        // ... and device approval is refused (the page redirects, the form post is 403, the device still waits).
        using var cli = f.CreateClient();
        var (_, device) = await OAuthFlows.PostFormAsync(cli, "/connect/device", new() { ["client_id"] = "hamachi-cli", ["scope"] = "api offline_access" });
        var userCode = device.GetProperty("user_code").GetString()!;
        var verifyPage = await browser.GetAsync("/connect/verify?user_code=" + Uri.EscapeDataString(userCode));
        Assert.Equal(HttpStatusCode.Redirect, verifyPage.StatusCode);
        Assert.StartsWith("/account/change-password?", verifyPage.Headers.Location!.ToString(), StringComparison.Ordinal);
        var page = await browser.GetStringAsync(changePage);
        Assert.Contains("one-time password", page, StringComparison.Ordinal);
        var approve = await browser.PostAsync("/connect/verify", Form(page, new() { ["user_code"] = userCode, ["action"] = "approve" }));
        Assert.Equal(HttpStatusCode.Forbidden, approve.StatusCode);
        var poll = new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
            ["client_id"] = "hamachi-cli",
            ["device_code"] = device.GetProperty("device_code").GetString()!,
        };
        var (pollStatus, pending) = await OAuthFlows.PostFormAsync(cli, "/connect/token", poll);
        Assert.Equal((HttpStatusCode.BadRequest, "authorization_pending"), (pollStatus, pending.GetProperty("error").GetString()));

        // A weak or mismatched new password: a form error, nothing changed.
        var weak = await PostChangeAsync(browser, changePage, oneTime, "short", "short", authorize);
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("at least 10 characters", await weak.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var mismatch = await PostChangeAsync(browser, changePage, oneTime, NewPassword, NewPassword + "x", authorize);
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Contains("differ", await mismatch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var wrongCurrent = await PostChangeAsync(browser, changePage, "not the password", NewPassword, NewPassword, authorize);
        Assert.Equal(HttpStatusCode.BadRequest, wrongCurrent.StatusCode);
        Assert.True((await LoadAdminAsync(f)).MustChangePassword);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(authorize)).StatusCode);
        Assert.DoesNotContain("code=", (await browser.GetAsync(authorize)).Headers.Location!.ToString(), StringComparison.Ordinal);

        // A good one: flag cleared, audited, back to the original authorize request, which now gives a code.
        var changed = await PostChangeAsync(browser, changePage, oneTime, NewPassword, NewPassword, authorize);
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(authorize, changed.Headers.Location!.ToString());
        admin = await LoadAdminAsync(f);
        Assert.False(admin.MustChangePassword);
        Assert.Null(admin.OneTimePasswordExpiresAt);
        Assert.Contains(await AuditAsync(f), e => e.Action == "account.password_changed" && e.ActorUserId == admin.Id && e.Details == "one-time password replaced");

        var tokens = await ExchangeCodeAsync(browser, await browser.GetAsync(authorize), verifier);
        var client = new HamachiClient(f.CreateClient());
        client.UseAccessToken(tokens.AccessToken);
        Assert.Equal(AdminEmail, (await client.GetMeAsync()).Email);
        Assert.StartsWith("hc_pat_", (await client.CreateApiTokenAsync(new CreateApiTokenRequest("admin script", ["read"], 1))).Secret, StringComparison.Ordinal);

        // The printed password no longer works; the new one signs in straight to the return URL.
        using var other = OAuthFlows.Browser(f);
        Assert.Equal(HttpStatusCode.Unauthorized, (await OAuthFlows.LoginAsync(other, AdminEmail, oneTime)).StatusCode);
        var again = await OAuthFlows.LoginAsync(other, AdminEmail, NewPassword, "/connect/verify");
        Assert.Equal((HttpStatusCode.Redirect, "/connect/verify"), (again.StatusCode, again.Headers.Location!.ToString()));
    }

    [Fact]
    public async Task An_expired_one_time_password_is_refused_naming_the_reset_command_which_issues_a_new_one()
    {
        await using var api = await FirstStartAsync();
        var f = api.Factory;
        var oneTime = api.PrintedPasswords().Single();
        await using (var scope = f.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
            var admin = await db.Users.SingleAsync(u => u.Email == AdminEmail);
            admin.OneTimePasswordExpiresAt = TimeProvider.System.GetUtcNow().AddMinutes(-1);
            await db.SaveChangesAsync();
        }

        using var browser = OAuthFlows.Browser(f);
        var expired = await OAuthFlows.LoginAsync(browser, AdminEmail, oneTime);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        var page = await expired.Content.ReadAsStringAsync();
        Assert.Contains("expired", page, StringComparison.Ordinal);
        Assert.Contains(DatabaseInitializer.ResetCommand, page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(AuthorizeUrl().Url)).StatusCode); // to the login page: no session
        Assert.Contains("/account/login", (await browser.GetAsync(AuthorizeUrl().Url)).Headers.Location!.ToString(), StringComparison.Ordinal);

        // A wrong password does not learn that the account has an expired one-time password.
        var wrong = await OAuthFlows.LoginAsync(browser, AdminEmail, "not the password");
        Assert.DoesNotContain("expired", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await DatabaseInitializer.ResetAdminPasswordAsync(f.Services);
        var fresh = api.PrintedPasswords().Last();
        Assert.NotEqual(oneTime, fresh);
        Assert.Contains(await AuditAsync(f), e => e.Action == "account.password_reset" && e.ActorUserId is null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await OAuthFlows.LoginAsync(browser, AdminEmail, oneTime)).StatusCode);
        var login = await OAuthFlows.LoginAsync(browser, AdminEmail, fresh);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.StartsWith("/account/change-password?", login.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_reset_existing_sessions_are_revoked_and_stay_revoked_once_the_password_is_replaced()
    {
        await using var api = await FirstStartAsync();
        var f = api.Factory;
        var oneTime = api.PrintedPasswords().Single();

        // The admin replaces the printed password and signs in with code + PKCE (tokens issued).
        using var browser = OAuthFlows.Browser(f);
        var login = await OAuthFlows.LoginAsync(browser, AdminEmail, oneTime);
        Assert.Equal(HttpStatusCode.Redirect, (await PostChangeAsync(browser, login.Headers.Location!.ToString(), oneTime, NewPassword, NewPassword, "/")).StatusCode);
        var tokens = await OAuthFlows.SignInWithCodeAsync(f, AdminEmail, NewPassword);
        var client = new HamachiClient(f.CreateClient());
        client.UseAccessToken(tokens.AccessToken);
        await client.GetMeAsync();

        // The operator resets the password: the session is revoked, its access token refused at once.
        await DatabaseInitializer.ResetAdminPasswordAsync(f.Services);
        Assert.Equal(401, (await Assert.ThrowsAsync<HamachiApiException>(() => client.CreateApiTokenAsync(new CreateApiTokenRequest("x", ["read"], 1)))).Status);
        using var http = f.CreateClient();
        await RecoveryTests.AssertRefreshRefusedAsync(http, "hamachi-portal", tokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.Unauthorized, (await OAuthFlows.LoginAsync(OAuthFlows.Browser(f), AdminEmail, NewPassword)).StatusCode);

        // The admin takes the account back with the new one-time password: the old tokens do not come back.
        var fresh = api.PrintedPasswords().Last();
        using var again = OAuthFlows.Browser(f);
        var relogin = await OAuthFlows.LoginAsync(again, AdminEmail, fresh);
        const string third = "the admin's third passphrase";
        Assert.Equal(HttpStatusCode.Redirect, (await PostChangeAsync(again, relogin.Headers.Location!.ToString(), fresh, third, third, "/")).StatusCode);
        Assert.False((await LoadAdminAsync(f)).MustChangePassword);
        await RecoveryTests.AssertRefreshRefusedAsync(http, "hamachi-portal", tokens.RefreshToken!);
        await RecoveryTests.AssertAccessRefusedAsync(f, tokens.AccessToken);
        var mine = await OAuthFlows.SignInWithCodeAsync(f, AdminEmail, third);
        Assert.Equal(AdminEmail, (await RecoveryTests.ClientWith(f, mine.AccessToken).GetMeAsync()).Email);
    }

    private sealed class FirstStart(ApiFactory factory, StringWriter console, LogCapture logs) : IAsyncDisposable
    {
        public ApiFactory Factory => factory;

        public LogCapture Logs => logs;

        /// <summary>Every one-time password the Api printed for the operator, in order.</summary>
        public List<string> PrintedPasswords() => [.. PasswordLine().Matches(console.ToString()).Select(m => m.Groups[1].Value)];

        public ValueTask DisposeAsync() => factory.DisposeAsync();
    }

    private static async Task<FirstStart> FirstStartAsync()
    {
        var console = new StringWriter();
        var logs = new LogCapture();
        var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string> { ["Bootstrap:CreateAdmin"] = "true" });
        f.ConfigureTestServices = s =>
        {
            s.AddSingleton(new OperatorConsole(TextWriter.Synchronized(console)));
            s.AddSingleton<ILoggerProvider>(logs);
        };
        _ = f.Server;
        return new FirstStart(f, console, logs);
    }

    private static (string Url, string Verifier) AuthorizeUrl()
    {
        var verifier = Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray());
        var challenge = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var url = "/connect/authorize?client_id=hamachi-portal&response_type=code"
            + "&redirect_uri=" + Uri.EscapeDataString(OAuthFlows.PortalRedirect)
            + "&scope=" + Uri.EscapeDataString("openid profile offline_access api")
            + "&code_challenge=" + challenge + "&code_challenge_method=S256&state=s1";
        return (url, verifier);
    }

    private static async Task<OAuthFlows.Tokens> ExchangeCodeAsync(HttpClient browser, HttpResponseMessage authorized, string verifier)
    {
        Assert.Equal(HttpStatusCode.Redirect, authorized.StatusCode);
        var location = authorized.Headers.Location!.ToString();
        Assert.StartsWith(OAuthFlows.PortalRedirect, location, StringComparison.Ordinal);
        var code = Regex.Match(location, "[?&]code=([^&]+)").Groups[1].Value;
        return await OAuthFlows.TokenAsync(browser, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "hamachi-portal",
            ["code"] = Uri.UnescapeDataString(code),
            ["redirect_uri"] = OAuthFlows.PortalRedirect,
            ["code_verifier"] = verifier,
        });
    }

    private static async Task<HttpResponseMessage> PostChangeAsync(
        HttpClient browser, string changePage, string current, string password, string confirm, string returnUrl)
    {
        var page = await browser.GetStringAsync(changePage);
        return await browser.PostAsync("/account/change-password", Form(page, new()
        {
            ["currentPassword"] = current,
            ["newPassword"] = password,
            ["confirmPassword"] = confirm,
            ["returnUrl"] = returnUrl,
        }));
    }

    private static FormUrlEncodedContent Form(string page, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = OAuthFlows.Antiforgery(page);
        return new FormUrlEncodedContent(fields);
    }

    private static async Task<User> LoadAdminAsync(ApiFactory f)
    {
        await using var scope = f.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HamachiDbContext>().Users.AsNoTracking().SingleAsync(u => u.Email == AdminEmail);
    }

    private static async Task<List<AuditEvent>> AuditAsync(ApiFactory f)
    {
        await using var scope = f.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HamachiDbContext>().AuditEvents.AsNoTracking().ToListAsync();
    }

    [GeneratedRegex(@"password: (\S+)")]
    private static partial Regex PasswordLine();
}
