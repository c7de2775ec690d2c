using System.Diagnostics;
using System.Net;
using System.Text.Json;
using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Members;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Identity;
using HamachiCloud.Api.RateLimiting;
using HamachiCloud.Api.SignIn;
using HamachiCloud.Data;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Networks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Rate limits and lockout (issue 14, item 3) with the production limits: credential stuffing from one address is
/// refused with 429 after the per-address limit, the targeted account locks for 5 minutes while other users sign in,
/// and existing and unknown accounts answer alike in time; device-code guessing is held at 20 a minute per address,
/// wrong network passwords at 10 a minute per account and per network. The counters' clock is fake: windows and the
/// lockout end when the test says so, not after real minutes.
/// </summary>
public abstract class RateLimitTests(RateLimitWorld world)
{
    [SkippableFact]
    public async Task Credential_stuffing_from_one_address_gets_429s_after_the_limit_and_locks_the_targeted_account_for_five_minutes()
    {
        var f = await world.GetAsync();
        var victim = await TestUser.CreateAsync(f, "victim");
        var other = await TestUser.CreateAsync(f, "other");
        var bystander = await TestUser.CreateAsync(f, "bystander");
        world.NewMinute(); // the users above signed in from the test's (absent) address

        // 1,000 attempts at about 50 a second (one every 20 ms, in flight together) from one address: every other one
        // at the victim, the rest at another account and at emails without accounts.
        using var attacker = Browser(f, "203.0.113.66");
        var token = OAuthFlows.Antiforgery(await attacker.GetStringAsync("/account/login"));
        var attempts = new List<Task<(HttpStatusCode Status, TimeSpan? RetryAfter, string? Code)>>();
        using (var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(20), TimeProvider.System))
        {
            for (var i = 0; i < 1000; i++)
            {
                var email = (i % 4) switch { 0 or 2 => victim.Email, 1 => other.Email, _ => $"leaked-{i}@example.test" };
                attempts.Add(PostLoginAsync(attacker, token, email, $"leaked password {i}"));
                world.Clock.Advance(TimeSpan.FromMilliseconds(20));
                await pace.WaitForNextTickAsync();
            }
        }

        var results = await Task.WhenAll(attempts);
        // Past the per-address limit every attempt is refused before any password check: a 429 problem (rate_limited).
        // The few admitted were checked: wrong (401), or refused by the victim's lockout once it was locked (429).
        var limited = results.Where(r => r.Code == ErrorCodes.RateLimited).ToList();
        var admitted = results.Where(r => r.Code is null).ToList();
        Assert.InRange(admitted.Count, 1, RateLimitWorld.SignInsPerMinute);
        Assert.Equal(1000 - admitted.Count, limited.Count);
        Assert.All(limited, r => Assert.Equal(HttpStatusCode.TooManyRequests, r.Status));
        Assert.All(admitted, r => Assert.True(r.Status is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, $"got {(int)r.Status}"));
        Assert.All(results.Where(r => r.Status == HttpStatusCode.TooManyRequests), r => Assert.InRange(r.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5)));
        Assert.All(limited, r => Assert.True(r.RetryAfter <= TimeSpan.FromSeconds(60)));
        Assert.All(results.Skip(200), r => Assert.Equal(HttpStatusCode.TooManyRequests, r.Status)); // held, not just slowed

        // The victim's account is locked for 5 minutes: the right password from a new address is refused...
        var remaining = await LockRemainingAsync(f, victim.Email);
        Assert.NotNull(remaining);
        Assert.InRange(remaining.Value, TimeSpan.FromMinutes(4.5), TimeSpan.FromMinutes(5));
        using var traveller = Browser(f, "192.0.2.77");
        using (var locked = await OAuthFlows.LoginAsync(traveller, victim.Email, victim.Password))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.InRange(locked.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromMinutes(4.5), TimeSpan.FromMinutes(5));
        }

        // ...and the lockout is in the audit log.
        using (var scope = f.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
            Assert.Single(db.AuditEvents.Where(e => e.Action == "account.locked_out" && e.TargetId == victim.Id.ToString()));
        }

        // A real user from another address signs in all along.
        using var home = Browser(f, "198.51.100.30");
        using (var signedIn = await OAuthFlows.LoginAsync(home, bystander.Email, bystander.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        // Still locked a second before the end; open after it.
        world.Clock.Advance(remaining.Value - TimeSpan.FromSeconds(1));
        using (var stillLocked = await OAuthFlows.LoginAsync(traveller, victim.Email, victim.Password))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, stillLocked.StatusCode);
        }

        world.Clock.Advance(TimeSpan.FromSeconds(2));
        using (var open = await OAuthFlows.LoginAsync(traveller, victim.Email, victim.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        }

        // The refusals were counted, and GET /health shows them.
        var totals = f.Services.GetRequiredService<RateLimitRefusals>().Totals;
        Assert.True(totals[RateLimits.SignIn] >= limited.Count, $"sign-in refusals counted: {totals[RateLimits.SignIn]} of {limited.Count}");
        Assert.True(totals[AccountLockout.Limit] >= 2); // the traveller, at least
        using var health = JsonDocument.Parse(await f.CreateClient().GetStringAsync("/health"));
        Assert.True(health.RootElement.GetProperty("checks").GetProperty("rate-limits").GetProperty("data").GetProperty(RateLimits.SignIn).GetInt64() > 0);
    }

    [SkippableFact]
    public async Task Wrong_passwords_for_existing_and_unknown_accounts_take_about_the_same_time()
    {
        var f = await world.GetAsync();
        var users = new List<TestUser>();
        for (var i = 0; i < 6; i++)
        {
            users.Add(await TestUser.CreateAsync(f, $"timed{i}"));
        }

        world.NewMinute();
        var known = new List<TimeSpan>();
        var unknown = new List<TimeSpan>();
        // Interleaved, alternating which goes first, four wrong passwords per account (below the lockout), each pair
        // from its own address (below the per-address limit); the first round warms up and is not measured.
        for (var round = 0; round < 5; round++)
        {
            for (var u = 0; u < users.Count; u++)
            {
                using var browser = Browser(f, $"198.51.100.{100 + (round * users.Count) + u}");
                var token = OAuthFlows.Antiforgery(await browser.GetStringAsync("/account/login"));
                var nobody = $"nobody-{round}-{u}-{Guid.NewGuid():N}@example.test";
                var knownFirst = (round + u) % 2 == 0;
                var first = await TimedAsync(browser, token, knownFirst ? users[u].Email : nobody);
                var second = await TimedAsync(browser, token, knownFirst ? nobody : users[u].Email);
                if (round > 0)
                {
                    known.Add(knownFirst ? first : second);
                    unknown.Add(knownFirst ? second : first);
                }
            }
        }

        var (knownMedian, unknownMedian) = (Median(known), Median(unknown));
        var difference = Math.Abs(knownMedian.TotalMilliseconds - unknownMedian.TotalMilliseconds) / Math.Max(knownMedian.TotalMilliseconds, unknownMedian.TotalMilliseconds);
        Assert.True(difference < 0.2, $"median of wrong passwords {knownMedian.TotalMilliseconds:F1} ms, of unknown emails {unknownMedian.TotalMilliseconds:F1} ms ({difference:P0} apart)");
    }

    [SkippableFact]
    public async Task Device_code_guessing_is_held_at_twenty_a_minute_per_address()
    {
        var f = await world.GetAsync();
        var guesser = await TestUser.CreateAsync(f, "guesser");
        var neighbour = await TestUser.CreateAsync(f, "neighbour");
        world.NewMinute();
        var fromGuesser = ClientFrom(f, guesser, "203.0.113.20");
        for (var i = 0; i < RateLimitWorld.DeviceCodeGuessesPerMinute; i++)
        {
            var wrong = await Assert.ThrowsAsync<HamachiApiException>(() => fromGuesser.GetDeviceCodeRequestAsync($"WXYZ-{i:D4}-0000"));
            Assert.Equal(ErrorCodes.DeviceCodeNotFound, wrong.Code);
        }

        // The 21st guess is not even looked up; the answer says when to come back.
        using (var held = await RawAsync(f, guesser, "203.0.113.20", HttpMethod.Get, "/api/v1/device-codes/WXYZ-9999-0000"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, held.StatusCode);
            Assert.InRange(held.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
            Assert.Contains(ErrorCodes.RateLimited, await held.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Another user at the same address is held too; the guesser's own account is held from another address.
        Assert.Equal(429, (await Assert.ThrowsAsync<HamachiApiException>(() => ClientFrom(f, neighbour, "203.0.113.20").GetDeviceCodeRequestAsync("WXYZ-0000-0001"))).Status);
        Assert.Equal(429, (await Assert.ThrowsAsync<HamachiApiException>(() => ClientFrom(f, guesser, "198.51.100.20").GetDeviceCodeRequestAsync("WXYZ-0000-0001"))).Status);
        // Someone else elsewhere is not.
        Assert.Equal(ErrorCodes.DeviceCodeNotFound, (await Assert.ThrowsAsync<HamachiApiException>(() => ClientFrom(f, neighbour, "198.51.100.21").GetDeviceCodeRequestAsync("WXYZ-0000-0001"))).Code);

        // A minute later the address may guess again.
        world.NewMinute();
        Assert.Equal(ErrorCodes.DeviceCodeNotFound, (await Assert.ThrowsAsync<HamachiApiException>(() => fromGuesser.GetDeviceCodeRequestAsync("WXYZ-0000-0002"))).Code);
        Assert.True(f.Services.GetRequiredService<RateLimitRefusals>().Totals[GuessLimits.DeviceCode] >= 3);
    }

    [SkippableFact]
    public async Task Wrong_network_passwords_are_held_at_ten_a_minute_per_account_and_per_network()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var guesser = await TestUser.CreateAsync(f, "guesser");
        var friend = await TestUser.CreateAsync(f, "friend");
        var colleague = await TestUser.CreateAsync(f, "colleague");
        world.NewMinute();
        var target = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("guarded", JoinPolicy: JoinPolicy.Password, Password: "the right one"));
        var second = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("second", JoinPolicy: JoinPolicy.Password, Password: "another right one"));

        for (var i = 0; i < RateLimitWorld.NetworkPasswordGuessesPerMinute; i++)
        {
            var wrong = await Assert.ThrowsAsync<HamachiApiException>(() => guesser.Client.JoinNetworkAsync(new JoinNetworkRequest(target.NetworkId, $"guess {i}")));
            Assert.Equal(ErrorCodes.WrongPassword, wrong.Code);
        }

        // The 11th attempt is refused before the password is checked, even the right one.
        using (var held = await RawAsync(f, guesser, null, HttpMethod.Post, "/api/v1/networks/join", new { networkId = target.NetworkId, password = "the right one" }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, held.StatusCode);
            Assert.InRange(held.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        }

        // Per account: the guesser is held at another network too. Per network: another account is held at this one.
        Assert.Equal(429, (await Assert.ThrowsAsync<HamachiApiException>(() => guesser.Client.JoinNetworkAsync(new JoinNetworkRequest(second.NetworkId, "guess")))).Status);
        Assert.Equal(429, (await Assert.ThrowsAsync<HamachiApiException>(() => friend.Client.JoinNetworkAsync(new JoinNetworkRequest(target.NetworkId, "the right one")))).Status);
        // Anyone else joins another network with its password.
        Assert.Equal(second.NetworkId, (await colleague.Client.JoinNetworkAsync(new JoinNetworkRequest(second.NetworkId, "another right one"))).NetworkId);

        world.NewMinute();
        Assert.Equal(target.NetworkId, (await friend.Client.JoinNetworkAsync(new JoinNetworkRequest(target.NetworkId, "the right one"))).NetworkId);
        Assert.True(f.Services.GetRequiredService<RateLimitRefusals>().Totals[GuessLimits.NetworkPassword] >= 3);
    }

    internal static HttpClient Browser(ApiFactory f, string address)
    {
        var browser = OAuthFlows.Browser(f);
        browser.DefaultRequestHeaders.Add(TestClientAddress.Header, address);
        return browser;
    }

    internal static async Task<TimeSpan?> LockRemainingAsync(ApiFactory f, string email)
    {
        using var scope = f.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AccountLockout>().LockRemainingAsync(SignInThrottle.SignInKey(email), CancellationToken.None);
    }

    internal static async Task<(HttpStatusCode Status, TimeSpan? RetryAfter, string? Code)> PostLoginAsync(HttpClient browser, string token, string email, string password)
    {
        using var response = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["password"] = password,
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = token,
        }));
        var body = await response.Content.ReadAsStringAsync();
        string? code = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            using var problem = JsonDocument.Parse(body);
            code = problem.RootElement.GetProperty("code").GetString();
        }

        return (response.StatusCode, response.Headers.RetryAfter?.Delta, code);
    }

    private static async Task<TimeSpan> TimedAsync(HttpClient browser, string token, string email)
    {
        var started = Stopwatch.StartNew();
        var (status, _, _) = await PostLoginAsync(browser, token, email, "not the password");
        var time = started.Elapsed;
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        return time;
    }

    private static TimeSpan Median(List<TimeSpan> times)
    {
        var sorted = times.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static HamachiClient ClientFrom(ApiFactory f, TestUser user, string address)
    {
        var http = f.CreateClient();
        http.DefaultRequestHeaders.Add(TestClientAddress.Header, address);
        var client = new HamachiClient(http);
        client.UseAccessToken(user.Tokens.AccessToken);
        return client;
    }

    private static async Task<HttpResponseMessage> RawAsync(ApiFactory f, TestUser user, string? address, HttpMethod method, string path, object? body = null)
    {
        using var http = f.CreateClient();
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", user.Tokens.AccessToken);
        if (address is not null)
        {
            request.Headers.Add(TestClientAddress.Header, address);
        }

        if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body);
        }

        return await http.SendAsync(request);
    }
}

/// <summary>
/// An Api with the production rate limits and lockout (registration and recovery aside: the tests register their
/// users) and the rate counters on a fake clock. The per-node <see cref="SignInThrottle"/> is turned down so the
/// shared limits are what is measured.
/// </summary>
public abstract class RateLimitWorld : ApiWorld
{
    public const int SignInsPerMinute = 20;
    public const int DeviceCodeGuessesPerMinute = 20;
    public const int NetworkPasswordGuessesPerMinute = 10;

    public FakeTimeProvider Clock { get; } = new(TimeProvider.System.GetUtcNow());

    /// <summary>Moves the counters' clock past every one-minute window (lockouts of 5 minutes stay).</summary>
    public void NewMinute() => Clock.Advance(TimeSpan.FromSeconds(61));

    protected override IReadOnlyDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["RateLimits:SignInsPerMinute"] = SignInsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimits:LockoutFailures"] = "5",
        ["RateLimits:LockoutMinutes"] = "5",
        ["RateLimits:DeviceCodeGuessesPerMinute"] = DeviceCodeGuessesPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimits:NetworkPasswordGuessesPerMinute"] = NetworkPasswordGuessesPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["SignInThrottle:AccountFreeFailures"] = "1000",
    };

    protected override void Configure(ApiFactory factory) =>
        factory.ConfigureTestServices = s => s.AddSingleton<IRateCounter>(new MemoryRateCounter(Clock));
}

public sealed class SqliteRateLimitWorld : RateLimitWorld
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresRateLimitWorld : RateLimitWorld
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public sealed class SqliteRateLimitTests(SqliteRateLimitWorld world) : RateLimitTests(world), IClassFixture<SqliteRateLimitWorld>;

public sealed class PostgresRateLimitTests(PostgresRateLimitWorld world) : RateLimitTests(world), IClassFixture<PostgresRateLimitWorld>;
