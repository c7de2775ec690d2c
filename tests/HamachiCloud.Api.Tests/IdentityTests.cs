using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Networks;

namespace HamachiCloud.Api.Tests;

/// <summary>The identity flows end to end over HTTP: device grant, refresh, personal tokens (failed sign-ins: SignInThrottleTests).</summary>
public abstract class IdentityTests(ApiWorld world)
{
    [SkippableFact]
    public async Task Device_flow_issues_tokens_after_a_signed_in_user_approves_the_code()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f, "cli");
        using var cli = f.CreateClient();

        var (status, device) = await OAuthFlows.PostFormAsync(cli, "/connect/device", new() { ["client_id"] = "hamachi-cli", ["scope"] = "api offline_access" });
        Assert.Equal(HttpStatusCode.OK, status);
        var deviceCode = device.GetProperty("device_code").GetString()!;
        var userCode = device.GetProperty("user_code").GetString()!;
        Assert.Equal("http://127.0.0.1:5080/device", device.GetProperty("verification_uri").GetString()); // the Portal's page (Identity:PortalUrl)

        var poll = new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
            ["client_id"] = "hamachi-cli",
            ["device_code"] = deviceCode,
        };
        var (pendingStatus, pending) = await OAuthFlows.PostFormAsync(cli, "/connect/token", poll);
        Assert.Equal(HttpStatusCode.BadRequest, pendingStatus);
        Assert.Equal("authorization_pending", pending.GetProperty("error").GetString());

        // The user signs in in a browser and approves the code.
        using var browser = OAuthFlows.Browser(f);
        var verifyPath = "/connect/verify?user_code=" + Uri.EscapeDataString(userCode);
        var login = await OAuthFlows.LoginAsync(browser, user.Email, user.Password, verifyPath);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var page = await browser.GetStringAsync(verifyPath);
        var approve = await browser.PostAsync("/connect/verify", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["user_code"] = userCode,
            ["action"] = "approve",
            ["__RequestVerificationToken"] = OAuthFlows.Antiforgery(page),
        }));
        Assert.True(approve.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"approve: {(int)approve.StatusCode}");

        var tokens = await OAuthFlows.TokenAsync(cli, poll);
        Assert.NotNull(tokens.RefreshToken);
        var client = new HamachiClient(f.CreateClient());
        client.UseAccessToken(tokens.AccessToken);
        Assert.Equal(user.Id, (await client.GetMeAsync()).Id);

        // A used device code cannot be redeemed again.
        var (replayStatus, _) = await OAuthFlows.PostFormAsync(cli, "/connect/token", poll);
        Assert.Equal(HttpStatusCode.BadRequest, replayStatus);
    }

    [SkippableFact]
    public async Task A_wrong_user_code_is_refused_on_the_verification_page()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        using var browser = OAuthFlows.Browser(f);
        await OAuthFlows.LoginAsync(browser, user.Email, user.Password);
        var page = await browser.GetStringAsync("/connect/verify");
        var response = await browser.PostAsync("/connect/verify", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["user_code"] = "WRONG-CODE",
            ["action"] = "approve",
            ["__RequestVerificationToken"] = OAuthFlows.Antiforgery(page),
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [SkippableFact]
    public async Task Refresh_tokens_give_a_new_access_token()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        using var http = f.CreateClient();
        var refreshed = await OAuthFlows.RefreshAsync(http, "hamachi-portal", user.Tokens.RefreshToken!);
        Assert.NotEqual(user.Tokens.AccessToken, refreshed.AccessToken);
        var client = new HamachiClient(f.CreateClient());
        client.UseAccessToken(refreshed.AccessToken);
        Assert.Equal(user.Email, (await client.GetMeAsync()).Email);
    }

    [SkippableFact]
    public async Task Personal_api_tokens_are_scoped_and_revocable()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        var created = await user.Client.CreateApiTokenAsync(new CreateApiTokenRequest("ci script", ["read"], 7));
        Assert.StartsWith("hc_pat_", created.Secret, StringComparison.Ordinal);
        Assert.StartsWith(created.Token.Prefix, created.Secret, StringComparison.Ordinal);
        Assert.DoesNotContain(await user.Client.ListApiTokensAsync(), t => t.Prefix == created.Secret);

        var script = new HamachiClient(f.CreateClient());
        script.UseAccessToken(created.Secret);
        Assert.Equal(user.Id, (await script.GetMeAsync()).Id);
        Assert.Empty(await script.ListNetworksAsync());
        var write = await Assert.ThrowsAsync<HamachiApiException>(() => script.CreateNetworkAsync(new CreateNetworkRequest("nope")));
        Assert.Equal((403, ErrorCodes.Forbidden), (write.Status, write.Code));

        var bad = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.CreateApiTokenAsync(new CreateApiTokenRequest("x", ["admin"])));
        Assert.Equal(400, bad.Status);

        await user.Client.RevokeApiTokenAsync(created.Token.Id);
        var revoked = await Assert.ThrowsAsync<HamachiApiException>(() => script.GetMeAsync());
        Assert.Equal(401, revoked.Status);
    }

    [SkippableFact]
    public async Task Registration_refuses_duplicates_and_weak_passwords()
    {
        var f = await world.GetAsync();
        var anonymous = new HamachiClient(f.CreateClient());
        var user = await TestUser.CreateAsync(f);
        var dup = await Assert.ThrowsAsync<HamachiApiException>(() => anonymous.RegisterAsync(new RegisterRequest(user.Email, "another long password")));
        Assert.Equal((409, ErrorCodes.EmailTaken), (dup.Status, dup.Code));
        var weak = await Assert.ThrowsAsync<HamachiApiException>(() => anonymous.RegisterAsync(new RegisterRequest("weak@example.test", "short")));
        Assert.Equal((400, ErrorCodes.WeakPassword), (weak.Status, weak.Code));
        var email = await Assert.ThrowsAsync<HamachiApiException>(() => anonymous.RegisterAsync(new RegisterRequest("not-an-email", "long enough password")));
        Assert.Equal(400, email.Status);
    }

    [SkippableFact]
    public async Task Health_reports_the_database_and_the_openapi_document_is_served()
    {
        var f = await world.GetAsync();
        using var http = f.CreateClient();
        using var health = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());

        using var openApi = await http.GetAsync("/openapi/v1.json");
        Assert.True(openApi.StatusCode == HttpStatusCode.OK, await openApi.Content.ReadAsStringAsync());
        Assert.Contains("/api/v1/networks/join", await openApi.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/docs")).StatusCode);
    }
}

public sealed class SqliteIdentityTests(SqliteWorld world) : IdentityTests(world), IClassFixture<SqliteWorld>;

public sealed class PostgresIdentityTests(PostgresWorld world) : IdentityTests(world), IClassFixture<PostgresWorld>;
