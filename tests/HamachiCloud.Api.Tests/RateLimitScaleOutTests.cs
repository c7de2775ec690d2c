using System.Net;
using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Migrations;
using HamachiCloud.Testing;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Two Api nodes on one PostgreSQL database and one Redis share the rate limits' counters (issue 14, item 3):
/// failures on either node add up to one lockout and one guess budget, refused on both.
/// </summary>
public sealed class RateLimitScaleOutTests
{
    [SkippableFact]
    public async Task Wrong_passwords_on_two_nodes_add_up_to_one_lockout_that_holds_on_both()
    {
        await using var nodeA = await ApiFactory.CreateAsync(DatabaseProvider.Postgres, Settings(deviceCodeGuesses: 20));
        _ = nodeA.Server;
        await using var nodeB = nodeA.CreateSecondNode();
        _ = nodeB.Server;
        var victim = await TestUser.CreateAsync(nodeA, "victim");

        // Five wrong passwords, alternating nodes, from five addresses: no node saw more than three.
        for (var i = 0; i < 5; i++)
        {
            using var browser = RateLimitTests.Browser(i % 2 == 0 ? nodeA : nodeB, UniqueAddress());
            using var wrong = await OAuthFlows.LoginAsync(browser, victim.Email, $"wrong {i}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        // Locked for 5 minutes on both nodes, for the right password from a new address too.
        foreach (var node in new[] { nodeA, nodeB })
        {
            using var browser = RateLimitTests.Browser(node, UniqueAddress());
            using var locked = await OAuthFlows.LoginAsync(browser, victim.Email, victim.Password);
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.InRange(locked.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        }

        Assert.NotNull(await RateLimitTests.LockRemainingAsync(nodeB, victim.Email));
    }

    [SkippableFact]
    public async Task Device_code_guesses_on_two_nodes_share_one_budget_per_address()
    {
        await using var nodeA = await ApiFactory.CreateAsync(DatabaseProvider.Postgres, Settings(deviceCodeGuesses: 4));
        _ = nodeA.Server;
        await using var nodeB = nodeA.CreateSecondNode();
        _ = nodeB.Server;
        var guesser = await TestUser.CreateAsync(nodeA, "guesser");
        var address = UniqueAddress();

        for (var i = 0; i < 4; i++)
        {
            var wrong = await Assert.ThrowsAsync<HamachiApiException>(() => Client(i % 2 == 0 ? nodeA : nodeB, guesser, address).GetDeviceCodeRequestAsync($"WXYZ-{i:D4}"));
            Assert.Equal(ErrorCodes.DeviceCodeNotFound, wrong.Code);
        }

        // Two wrong guesses on each node, four in all: the budget is spent on both.
        Assert.Equal(429, (await Assert.ThrowsAsync<HamachiApiException>(() => Client(nodeA, guesser, address).GetDeviceCodeRequestAsync("WXYZ-0005"))).Status);
        Assert.Equal(429, (await Assert.ThrowsAsync<HamachiApiException>(() => Client(nodeB, guesser, address).GetDeviceCodeRequestAsync("WXYZ-0006"))).Status);
    }

    private static Dictionary<string, string> Settings(int deviceCodeGuesses) => new()
    {
        ["Redis:Connection"] = Requires.Redis(),
        ["RateLimits:DeviceCodeGuessesPerMinute"] = deviceCodeGuesses.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>An address no earlier run used (Redis keeps counters across runs until their windows end): a fresh IPv6 /64.</summary>
    private static string UniqueAddress()
    {
        var g = Guid.NewGuid().ToByteArray();
        return $"2001:db8:{g[0]:x2}{g[1]:x2}:{g[2]:x2}{g[3]:x2}::1";
    }

    private static HamachiClient Client(ApiFactory f, TestUser user, string address)
    {
        var http = f.CreateClient();
        http.DefaultRequestHeaders.Add(TestClientAddress.Header, address);
        var client = new HamachiClient(http);
        client.UseAccessToken(user.Tokens.AccessToken);
        return client;
    }
}
