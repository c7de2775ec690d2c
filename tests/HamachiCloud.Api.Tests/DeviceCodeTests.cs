using System.Net;
using System.Text.Json;
using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Client;

namespace HamachiCloud.Api.Tests;

/// <summary>hamachi login's device flow as the Portal sees it: the request by code, approval and denial by bearer token.</summary>
public abstract class DeviceCodeTests(ApiWorld world)
{
    private static readonly Dictionary<string, string> Start = new()
    {
        ["client_id"] = "hamachi-cli",
        ["scope"] = "api offline_access",
        ["device_name"] = "build\u202e-box\n",
        ["device_os"] = "Linux 6.1 (Debian GNU/Linux 12)",
    };

    [SkippableFact]
    public async Task A_device_flow_started_with_name_and_os_is_shown_by_code_and_approved_by_bearer()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f, "approver");
        using var cli = f.CreateClient();
        var (status, begun) = await OAuthFlows.PostFormAsync(cli, "/connect/device", Start);
        Assert.Equal(HttpStatusCode.OK, status);
        var userCode = begun.GetProperty("user_code").GetString()!;
        Assert.Equal("http://127.0.0.1:5080/device", begun.GetProperty("verification_uri").GetString());
        Assert.Equal("http://127.0.0.1:5080/device?code=" + Uri.EscapeDataString(userCode), begun.GetProperty("verification_uri_complete").GetString());

        var typed = userCode.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant(); // as a person might type it
        var request = await user.Client.GetDeviceCodeRequestAsync(typed);
        Assert.Equal((userCode, "build-box", "Linux 6.1 (Debian GNU/Linux 12)"), (request.UserCode, request.DeviceName, request.DeviceOs));
        Assert.True(request.ExpiresAt > request.RequestedAt);

        await user.Client.DecideDeviceCodeAsync(userCode, approve: true);
        var tokens = await OAuthFlows.TokenAsync(cli, Poll(begun));
        var client = new HamachiClient(f.CreateClient());
        client.UseAccessToken(tokens.AccessToken);
        Assert.Equal(user.Id, (await client.GetMeAsync()).Id);

        var gone = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.GetDeviceCodeRequestAsync(userCode));
        Assert.Equal((404, ErrorCodes.DeviceCodeNotFound), (gone.Status, gone.Code)); // a decided code is no longer shown
    }

    [SkippableFact]
    public async Task A_denied_code_gives_the_cli_access_denied()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        using var cli = f.CreateClient();
        var (_, begun) = await OAuthFlows.PostFormAsync(cli, "/connect/device", Start);
        await user.Client.DecideDeviceCodeAsync(begun.GetProperty("user_code").GetString()!, approve: false);
        var (status, body) = await OAuthFlows.PostFormAsync(cli, "/connect/token", Poll(begun));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("access_denied", body.GetProperty("error").GetString());
    }

    [SkippableFact]
    public async Task Wrong_codes_are_404_or_400_and_the_cookie_form_still_needs_antiforgery()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        var unknown = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.GetDeviceCodeRequestAsync("0000-0000-0000"));
        Assert.Equal((404, ErrorCodes.DeviceCodeNotFound), (unknown.Status, unknown.Code));
        Assert.Contains("hamachi login", unknown.Problem.Detail, StringComparison.Ordinal);
        var malformed = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.GetDeviceCodeRequestAsync("12$4"));
        Assert.Equal((400, ErrorCodes.ValidationFailed), (malformed.Status, malformed.Code));
        Assert.NotNull(malformed.Problem.Errors?["userCode"]);
        var decide = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.DecideDeviceCodeAsync("0000-0000-0000", approve: true));
        Assert.Equal((400, ErrorCodes.DeviceCodeNotFound), (decide.Status, decide.Code));

        var anonymous = new HamachiClient(f.CreateClient());
        Assert.Equal(401, (await Assert.ThrowsAsync<HamachiApiException>(() => anonymous.GetDeviceCodeRequestAsync("0000-0000-0000"))).Status);

        // The Identity cookie alone is ambient: without the antiforgery token the approval is refused and the CLI stays pending.
        using var cli = f.CreateClient();
        var (_, begun) = await OAuthFlows.PostFormAsync(cli, "/connect/device", Start);
        using var browser = OAuthFlows.Browser(f);
        await OAuthFlows.LoginAsync(browser, user.Email, user.Password);
        var forged = await browser.PostAsync("/connect/verify", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["user_code"] = begun.GetProperty("user_code").GetString()!,
            ["action"] = "approve",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var (pollStatus, poll) = await OAuthFlows.PostFormAsync(cli, "/connect/token", Poll(begun));
        Assert.Equal((HttpStatusCode.BadRequest, "authorization_pending"), (pollStatus, poll.GetProperty("error").GetString()));
    }

    private static Dictionary<string, string> Poll(JsonElement begun) => new()
    {
        ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
        ["client_id"] = "hamachi-cli",
        ["device_code"] = begun.GetProperty("device_code").GetString()!,
    };
}

public sealed class SqliteDeviceCodeTests(SqliteWorld world) : DeviceCodeTests(world), IClassFixture<SqliteWorld>;

public sealed class PostgresDeviceCodeTests(PostgresWorld world) : DeviceCodeTests(world), IClassFixture<PostgresWorld>;
