using System.Net;
using System.Text.RegularExpressions;
using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.Contracts.Bans;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Data.Entities;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Two-factor authentication with an authenticator (TOTP computed by the test's own <see cref="Totp"/>) and
/// recovery codes: setup, enable, the sign-in page's second step (then the OAuth flow continues), disable,
/// new recovery codes, and the staff requirement.
/// </summary>
public abstract class TwoFactorTests(AccountWorld world)
{
    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    [SkippableFact]
    public async Task Setup_gives_a_key_and_uri_and_enable_needs_a_right_code()
    {
        var f = await world.GetAsync();
        var user = await AccountSteps.CreateConfirmedAsync(f, "otp");
        Assert.Equal(new TwoFactorStatusDto(false, 0, false), await user.Client.GetTwoFactorAsync());

        var first = await user.Client.SetupTwoFactorAsync();
        var setup = await user.Client.SetupTwoFactorAsync(); // while off, setup starts over with a new key
        Assert.NotEqual(first.SharedKey, setup.SharedKey);
        Assert.Matches("^([a-z2-7]{4} )+[a-z2-7]{1,4}$", setup.SharedKey);
        var secret = setup.SharedKey.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        Assert.Equal($"otpauth://totp/HamachiCloud:{Uri.EscapeDataString(user.Email)}?secret={secret}&issuer=HamachiCloud&digits=6", setup.AuthenticatorUri);

        // A code of the first (replaced) key, a code from 10 minutes ahead, and non-codes are refused.
        foreach (var wrong in new[] { Totp.Code(first.SharedKey, Now), Totp.Code(setup.SharedKey, Now.AddMinutes(10)), "abcdef" })
        {
            var e = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.EnableTwoFactorAsync(new TwoFactorCodeRequest(wrong)));
            Assert.Equal((400, ErrorCodes.InvalidCode), (e.Status, e.Code));
            Assert.Contains("code", e.Problem.Errors!.Keys);
        }

        var empty = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.EnableTwoFactorAsync(new TwoFactorCodeRequest("")));
        Assert.Equal((400, ErrorCodes.ValidationFailed), (empty.Status, empty.Code));
        Assert.False((await user.Client.GetTwoFactorAsync()).Enabled);

        var code = Totp.Code(setup.SharedKey, Now);
        var enabled = await user.Client.EnableTwoFactorAsync(new TwoFactorCodeRequest(code[..3] + " " + code[3..])); // typed with a space
        Assert.Equal(10, enabled.RecoveryCodes.Count);
        Assert.Equal(10, enabled.RecoveryCodes.Distinct().Count());
        Assert.Equal(new TwoFactorStatusDto(true, 10, false), await user.Client.GetTwoFactorAsync());

        var again = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.SetupTwoFactorAsync());
        Assert.Equal((409, ErrorCodes.TwoFactorEnabled), (again.Status, again.Code));
    }

    [SkippableFact]
    public async Task Sign_in_asks_for_the_code_then_continues_the_oauth_flow()
    {
        var f = await world.GetAsync();
        var user = await AccountSteps.CreateConfirmedAsync(f, "second-step");
        var (key, _) = await AccountSteps.EnableTwoFactorAsync(user);

        // The password alone leads to the second step, not to a session.
        using var browser = OAuthFlows.Browser(f);
        var authorize = "/connect/authorize?client_id=hamachi-portal&response_type=code&redirect_uri="
            + Uri.EscapeDataString(OAuthFlows.PortalRedirect) + "&scope=openid%20api&code_challenge=" + new string('a', 43) + "&code_challenge_method=S256";
        var wrong = await AccountSteps.SignInWithSecondFactorAsync(browser, user.Email, user.Password, Totp.Code(key, Now.AddMinutes(-10)), authorize);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var page = await wrong.Content.ReadAsStringAsync();
        Assert.Contains("role=\"alert\"", page, StringComparison.Ordinal);
        Assert.Contains("wrong", page, StringComparison.Ordinal);
        var stillOut = await browser.GetAsync(authorize);
        Assert.Contains("/account/login", stillOut.Headers.Location!.ToString(), StringComparison.Ordinal);

        var right = await AccountSteps.SignInWithSecondFactorAsync(browser, user.Email, user.Password, Totp.Code(key, Now), authorize);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(authorize, right.Headers.Location!.ToString());
        var code = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.Matches("[?&]code=", code.Headers.Location!.ToString());
    }

    [SkippableFact]
    public async Task A_recovery_code_signs_in_once()
    {
        var f = await world.GetAsync();
        var user = await AccountSteps.CreateConfirmedAsync(f, "recovery");
        var (_, codes) = await AccountSteps.EnableTwoFactorAsync(user);

        using (var browser = OAuthFlows.Browser(f))
        {
            var first = await AccountSteps.SignInWithSecondFactorAsync(browser, user.Email, user.Password, codes[3]);
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
            Assert.Equal("/", first.Headers.Location!.ToString());
        }

        Assert.Equal(9, (await user.Client.GetTwoFactorAsync()).RecoveryCodesLeft);
        using (var browser = OAuthFlows.Browser(f))
        {
            var reused = await AccountSteps.SignInWithSecondFactorAsync(browser, user.Email, user.Password, codes[3]);
            Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
            Assert.Contains("already used", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task Disable_and_new_recovery_codes_need_a_code()
    {
        var f = await world.GetAsync();
        var user = await AccountSteps.CreateConfirmedAsync(f, "toggler");
        var (key, codes) = await AccountSteps.EnableTwoFactorAsync(user);

        var bad = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.RegenerateRecoveryCodesAsync(new TwoFactorCodeRequest("AAAAA-BBBBB")));
        Assert.Equal((400, ErrorCodes.InvalidCode), (bad.Status, bad.Code));
        var fresh = await user.Client.RegenerateRecoveryCodesAsync(new TwoFactorCodeRequest(Totp.Code(key, Now)));
        Assert.Equal(10, fresh.RecoveryCodes.Count);
        Assert.Empty(fresh.RecoveryCodes.Intersect(codes));

        // An old recovery code no longer works; a new one turns two-factor off.
        var old = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.DisableTwoFactorAsync(new TwoFactorCodeRequest(codes[0])));
        Assert.Equal((400, ErrorCodes.InvalidCode), (old.Status, old.Code));
        await user.Client.DisableTwoFactorAsync(new TwoFactorCodeRequest(fresh.RecoveryCodes[0]));
        Assert.Equal(new TwoFactorStatusDto(false, 0, false), await user.Client.GetTwoFactorAsync());
        var off = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.DisableTwoFactorAsync(new TwoFactorCodeRequest(Totp.Code(key, Now))));
        Assert.Equal((409, ErrorCodes.TwoFactorNotEnabled), (off.Status, off.Code));

        // Signing in is one step again.
        using var browser = OAuthFlows.Browser(f);
        var login = await OAuthFlows.LoginAsync(browser, user.Email, user.Password);
        Assert.Equal("/", login.Headers.Location!.ToString());
    }

    [SkippableFact]
    public async Task Staff_need_two_factor_for_staff_endpoints_and_cannot_turn_it_off()
    {
        var f = await world.GetAsync();
        var staff = await AccountSteps.CreateConfirmedAsync(f, "staff");
        await AccountSteps.GrantRoleAsync(f, staff.Id, Roles.Support);
        Assert.Equal(new TwoFactorStatusDto(false, 0, true), await staff.Client.GetTwoFactorAsync());

        var refused = await Assert.ThrowsAsync<HamachiApiException>(() => staff.Client.ListBansAsync());
        Assert.Equal((403, ErrorCodes.TwoFactorRequired), (refused.Status, refused.Code));
        var create = await Assert.ThrowsAsync<HamachiApiException>(() => staff.Client.CreateBanAsync(new CreateBanRequest("198.51.100.0/24", "test")));
        Assert.Equal((403, ErrorCodes.TwoFactorRequired), (create.Status, create.Code));

        var (key, _) = await AccountSteps.EnableTwoFactorAsync(staff);
        Assert.NotNull(await staff.Client.ListBansAsync());
        var off = await Assert.ThrowsAsync<HamachiApiException>(() => staff.Client.DisableTwoFactorAsync(new TwoFactorCodeRequest(Totp.Code(key, Now))));
        Assert.Equal((403, ErrorCodes.TwoFactorRequired), (off.Status, off.Code));

        // Not staff: still forbidden, whatever the second factor.
        var plain = await AccountSteps.CreateConfirmedAsync(f, "plain");
        await AccountSteps.EnableTwoFactorAsync(plain);
        var notStaff = await Assert.ThrowsAsync<HamachiApiException>(() => plain.Client.ListBansAsync());
        Assert.Equal((403, ErrorCodes.Forbidden), (notStaff.Status, notStaff.Code));
    }

    [SkippableFact]
    public async Task Wrong_codes_slow_further_codes_without_locking_the_account()
    {
        var f = await world.GetAsync();
        var user = await AccountSteps.CreateConfirmedAsync(f, "guesser");
        var (key, _) = await AccountSteps.EnableTwoFactorAsync(user);
        for (var i = 0; i < 5; i++)
        {
            var wrong = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.RegenerateRecoveryCodesAsync(new TwoFactorCodeRequest(Totp.Code(key, Now.AddHours(1 + i)))));
            Assert.Equal((400, ErrorCodes.InvalidCode), (wrong.Status, wrong.Code));
        }

        // Even the right code waits now (SignInThrottle:AccountFreeFailures = 5, then 1 s doubling)...
        var slowed = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.RegenerateRecoveryCodesAsync(new TwoFactorCodeRequest(Totp.Code(key, Now))));
        Assert.Equal((429, ErrorCodes.TooManyAttempts), (slowed.Status, slowed.Code));
        Assert.Matches(new Regex("wait [0-9]+ seconds?"), slowed.Problem.Detail);
        Assert.Contains("code", slowed.Problem.Errors!.Keys);

        // ... and after the wait it works: nothing was locked, the session's tokens were never touched.
        await Task.Delay(TimeSpan.FromSeconds(1.2), TimeProvider.System);
        Assert.Equal(10, (await user.Client.RegenerateRecoveryCodesAsync(new TwoFactorCodeRequest(Totp.Code(key, Now)))).RecoveryCodes.Count);
    }
}

public sealed class SqliteTwoFactorTests(SqliteAccountWorld world) : TwoFactorTests(world), IClassFixture<SqliteAccountWorld>;

public sealed class PostgresTwoFactorTests(PostgresAccountWorld world) : TwoFactorTests(world), IClassFixture<PostgresAccountWorld>;
