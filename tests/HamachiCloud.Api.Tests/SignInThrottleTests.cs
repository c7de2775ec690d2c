using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using HamachiCloud.Api.Identity;
using HamachiCloud.Migrations;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Nobody can lock the owner out (issue 12, item 3): wrong passwords slow further attempts per address and
/// per account, and since issue 14 lock the account for new addresses, but the owner still signs in at once from
/// a familiar address, a working refresh token never fails because of it, and an unknown email is answered exactly
/// like a wrong password, in words and in time.
/// </summary>
public abstract partial class SignInThrottleTests(ApiWorld world)
{
    /// <summary>The account's longest wait in these worlds (<c>SignInThrottle:AccountMaxDelaySeconds</c>).</summary>
    public const int AccountMaxDelaySeconds = 2;

    [SkippableFact]
    public async Task Twenty_wrong_passwords_from_one_address_neither_lock_the_owner_at_home_out_nor_fail_their_refresh()
    {
        var f = await world.GetAsync();
        var victim = await TestUser.CreateAsync(f, "victim");
        using var home = BrowserFrom(f, "198.51.100.7");
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.LoginAsync(home, victim.Email, victim.Password)).StatusCode);

        using var http = f.CreateClient();
        var refresh = victim.Tokens.RefreshToken!;
        using var attacker = BrowserFrom(f, "203.0.113.66");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var wrong = await OAuthFlows.LoginAsync(attacker, victim.Email, $"guess number {i}");
            statuses.Add(wrong.StatusCode);
            if (i % 5 == 4)
            {
                // The victim's app refreshes throughout: never refused because of the guesses.
                refresh = (await OAuthFlows.RefreshAsync(http, "hamachi-portal", refresh)).RefreshToken ?? refresh;
            }
        }

        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, $"attacker got {(int)s}"));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses); // the guessing was slowed down

        // The owner at home signs in at once: the account's wait does not apply to a familiar address.
        using var homeAgain = BrowserFrom(f, "198.51.100.7");
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.LoginAsync(homeAgain, victim.Email, victim.Password)).StatusCode);

        // From a new address (the owner travelling) the account is locked (issue 14: 5 wrong passwords lock it for
        // 5 minutes, RateLimitTests), with the same Retry-After on every node; the throttle's own waits are shorter.
        using var travel = BrowserFrom(f, "192.0.2.99");
        using (var locked = await OAuthFlows.LoginAsync(travel, victim.Email, victim.Password))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.InRange(locked.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        }

        var last = await OAuthFlows.RefreshAsync(http, "hamachi-portal", refresh);
        Assert.Equal(victim.Id, (await RecoveryTests.ClientWith(f, last.AccessToken).GetMeAsync()).Id);
    }

    [SkippableFact]
    public async Task An_unknown_email_is_answered_like_a_wrong_password_in_words_and_in_time()
    {
        var f = await world.GetAsync();
        var known = await TestUser.CreateAsync(f, "known");
        var unknownEmail = $"nobody-{Guid.NewGuid():N}@example.test";
        using var forKnown = BrowserFrom(f, "198.51.100.21");
        using var forUnknown = BrowserFrom(f, "198.51.100.22");

        var knownTimes = new List<TimeSpan>();
        var unknownTimes = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var (knownStatus, knownError, knownTime) = await TimedLoginAsync(forKnown, known.Email, $"wrong {i}");
            var (unknownStatus, unknownError, unknownTime) = await TimedLoginAsync(forUnknown, unknownEmail, $"wrong {i}");
            Assert.Equal((HttpStatusCode.Unauthorized, LoginEndpoints.WrongPasswordMessage), (knownStatus, knownError));
            Assert.Equal((knownStatus, knownError), (unknownStatus, unknownError));
            knownTimes.Add(knownTime);
            unknownTimes.Add(unknownTime);
        }

        // After as many failures both are slowed, with the same words (no "locked" for real accounts only).
        var (knownThrottled, knownMessage, _) = await TimedLoginAsync(forKnown, known.Email, "wrong again");
        var (unknownThrottled, unknownMessage, _) = await TimedLoginAsync(forUnknown, unknownEmail, "wrong again");
        Assert.Equal(HttpStatusCode.TooManyRequests, knownThrottled);
        Assert.Equal((knownThrottled, knownMessage), (unknownThrottled, unknownMessage));
        Assert.DoesNotContain("locked", knownMessage, StringComparison.OrdinalIgnoreCase);

        // An unknown email costs a password hash verification too (it answered in 4 ms instead of 155 ms before).
        var knownMedian = knownTimes.Order().ElementAt(2);
        var unknownMedian = unknownTimes.Order().ElementAt(2);
        Assert.True(unknownMedian >= knownMedian * 0.3, $"unknown email answered in {unknownMedian.TotalMilliseconds} ms, a wrong password in {knownMedian.TotalMilliseconds} ms");
    }

    private static HttpClient BrowserFrom(ApiFactory f, string address)
    {
        var browser = OAuthFlows.Browser(f);
        browser.DefaultRequestHeaders.Add(TestClientAddress.Header, address);
        return browser;
    }

    private static async Task<(HttpStatusCode Status, string Error, TimeSpan Time)> TimedLoginAsync(HttpClient browser, string email, string password)
    {
        var page = await browser.GetStringAsync("/account/login");
        var started = Stopwatch.StartNew();
        using var response = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["password"] = password,
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = OAuthFlows.Antiforgery(page),
        }));
        var time = started.Elapsed;
        var match = FormError().Match(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, WebUtility.HtmlDecode(match.Groups[1].Value), time);
    }

    [GeneratedRegex("<p id=\"form-error\" class=\"error\" role=\"alert\">([^<]*)</p>")]
    private static partial Regex FormError();
}

/// <summary>An Api with the production throttle but a short account cap (the owner's bounded wait is waited for real).</summary>
public abstract class ThrottleWorld : ApiWorld
{
    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["SignInThrottle:AccountFreeFailures"] = "5",
        ["SignInThrottle:AddressFreeFailures"] = "10",
        ["SignInThrottle:BaseDelaySeconds"] = "1",
        ["SignInThrottle:AccountMaxDelaySeconds"] = SignInThrottleTests.AccountMaxDelaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

public sealed class SqliteThrottleWorld : ThrottleWorld
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresThrottleWorld : ThrottleWorld
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public sealed class SqliteSignInThrottleTests(SqliteThrottleWorld world) : SignInThrottleTests(world), IClassFixture<SqliteThrottleWorld>;

public sealed class PostgresSignInThrottleTests(PostgresThrottleWorld world) : SignInThrottleTests(world), IClassFixture<PostgresThrottleWorld>;
