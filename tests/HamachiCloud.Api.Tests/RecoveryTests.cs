using System.Net;
using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.Contracts.Client;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Recovery locks a thief out (issue 12, item 2): a password change, a reset and a device removal revoke
/// the affected OAuth sessions at once, refresh tokens included, and their access tokens stop working;
/// personal API tokens show their last use and are revoked all at once.
/// </summary>
public abstract class RecoveryTests(ApiWorld world)
{
    private const string NewPassword = "the owner's new passphrase";

    [SkippableFact]
    public async Task A_password_change_revokes_every_other_session_and_its_tokens_at_once()
    {
        var f = await world.GetAsync();
        var owner = await AccountSteps.CreateConfirmedAsync(f, "owner");
        var stolenPortal = await OAuthFlows.SignInWithCodeAsync(f, owner.Email, owner.Password); // the thief's browser
        var stolenCli = await CliLoginAsync(f, owner);                                           // the thief's hamachi login
        await ClientWith(f, stolenPortal.AccessToken).GetMeAsync();
        await ClientWith(f, stolenCli.AccessToken).GetMeAsync();

        await owner.Client.ChangePasswordAsync(new ChangePasswordRequest(owner.Password, NewPassword));

        using var http = f.CreateClient();
        await AssertRefreshRefusedAsync(http, "hamachi-portal", stolenPortal.RefreshToken!);
        await AssertRefreshRefusedAsync(http, "hamachi-cli", stolenCli.RefreshToken!);
        await AssertAccessRefusedAsync(f, stolenPortal.AccessToken);
        await AssertAccessRefusedAsync(f, stolenCli.AccessToken);

        // The owner's own session (the one that changed the password) goes on, refresh included.
        Assert.Equal(owner.Id, (await owner.Client.GetMeAsync()).Id);
        var refreshed = await OAuthFlows.RefreshAsync(http, "hamachi-portal", owner.Tokens.RefreshToken!);
        Assert.Equal(owner.Id, (await ClientWith(f, refreshed.AccessToken).GetMeAsync()).Id);
        Assert.Equal(2, (await owner.Client.ListSessionsAsync()).Count(s => s.Status == "revoked"));
    }

    [SkippableFact]
    public async Task A_password_reset_revokes_the_cli_session_and_its_access_token_too()
    {
        var f = await world.GetAsync();
        var owner = await AccountSteps.CreateConfirmedAsync(f, "reset");
        var stolenCli = await CliLoginAsync(f, owner);
        var anonymous = new HamachiClient(f.CreateClient());
        await anonymous.ForgotPasswordAsync(new ForgotPasswordRequest(owner.Email));
        await anonymous.ResetPasswordAsync(new ResetPasswordRequest(owner.Email, AccountSteps.ResetCode(f, owner.Email), NewPassword));

        using var http = f.CreateClient();
        await AssertRefreshRefusedAsync(http, "hamachi-cli", stolenCli.RefreshToken!);
        await AssertRefreshRefusedAsync(http, "hamachi-portal", owner.Tokens.RefreshToken!);
        await AssertAccessRefusedAsync(f, stolenCli.AccessToken);
        await AssertAccessRefusedAsync(f, owner.Tokens.AccessToken);
    }

    [SkippableFact]
    public async Task Removing_a_device_revokes_the_sign_in_that_enrolled_it_and_its_stored_token_enrols_nothing()
    {
        var f = await world.GetAsync();
        var owner = await AccountSteps.CreateConfirmedAsync(f, "lost-laptop");

        // hamachi login on the laptop: the device flow's tokens enrol the device and stay stored on the disk.
        var laptopTokens = await CliLoginAsync(f, owner);
        var laptopCli = ClientWith(f, laptopTokens.AccessToken);
        await using var laptop = await TestAgent.EnrolAsync(laptopCli, "laptop");

        // One enrolment per sign-in: the stored token cannot add a device behind the owner's back.
        var second = await Assert.ThrowsAsync<HamachiApiException>(() => TestAgent.EnrolAsync(laptopCli, "thief's box"));
        Assert.Equal((409, ErrorCodes.Conflict), (second.Status, second.Code));

        // Another device with its own sign-in, which must survive the laptop's removal.
        var desktopTokens = await CliLoginAsync(f, owner);
        await using var desktop = await TestAgent.EnrolAsync(ClientWith(f, desktopTokens.AccessToken), "desktop");

        // The laptop is lost: the owner removes it in the Portal.
        await owner.Client.DeleteDeviceAsync(laptop.DeviceId);

        using var http = f.CreateClient();
        await AssertRefreshRefusedAsync(http, "hamachi-cli", laptopTokens.RefreshToken!);
        await AssertAccessRefusedAsync(f, laptopTokens.AccessToken);
        var enrol = await Assert.ThrowsAsync<HamachiApiException>(() => TestAgent.EnrolAsync(laptopCli, "new device from the stolen token"));
        Assert.Equal(401, enrol.Status);
        Assert.DoesNotContain(await owner.Client.ListDevicesAsync(), d => d.Name == "new device from the stolen token");

        // The desktop's sign-in and the owner's Portal session are untouched.
        var desktopRefreshed = await OAuthFlows.RefreshAsync(http, "hamachi-cli", desktopTokens.RefreshToken!);
        Assert.Equal(owner.Id, (await ClientWith(f, desktopRefreshed.AccessToken).GetMeAsync()).Id);
        Assert.Equal(owner.Id, (await owner.Client.GetMeAsync()).Id);
        Assert.Contains(await owner.Client.ListDevicesAsync(), d => d.Id == desktop.DeviceId);
    }

    [SkippableFact]
    public async Task Personal_api_tokens_show_their_last_use_and_are_revoked_all_at_once()
    {
        var f = await world.GetAsync();
        var owner = await AccountSteps.CreateConfirmedAsync(f, "tokens");
        var other = await AccountSteps.CreateConfirmedAsync(f, "bystander");
        var used = await owner.Client.CreateApiTokenAsync(new CreateApiTokenRequest("ci", ["read"], 30));
        var unused = await owner.Client.CreateApiTokenAsync(new CreateApiTokenRequest("backup", ["read", "write"], 30));
        var revokedBefore = await owner.Client.CreateApiTokenAsync(new CreateApiTokenRequest("old", ["read"], 30));
        await owner.Client.RevokeApiTokenAsync(revokedBefore.Token.Id);
        var theirs = await other.Client.CreateApiTokenAsync(new CreateApiTokenRequest("theirs", ["read"], 30));

        var script = ClientWith(f, used.Secret);
        await script.GetMeAsync();
        var listed = await owner.Client.ListApiTokensAsync();
        Assert.NotNull(listed.Single(t => t.Id == used.Token.Id).LastUsedAt);
        Assert.Null(listed.Single(t => t.Id == unused.Token.Id).LastUsedAt);

        Assert.Equal(2, (await owner.Client.RevokeAllApiTokensAsync()).Revoked);
        Assert.Equal(401, (await Assert.ThrowsAsync<HamachiApiException>(() => script.GetMeAsync())).Status);
        Assert.Equal(401, (await Assert.ThrowsAsync<HamachiApiException>(() => ClientWith(f, unused.Secret).GetMeAsync())).Status);
        Assert.All(await owner.Client.ListApiTokensAsync(), t => Assert.NotNull(t.RevokedAt));

        // Another account's tokens are not touched; the owner can make new ones.
        Assert.Equal(other.Id, (await ClientWith(f, theirs.Secret).GetMeAsync()).Id);
        var fresh = await owner.Client.CreateApiTokenAsync(new CreateApiTokenRequest("new", ["read"], 1));
        Assert.Equal(owner.Id, (await ClientWith(f, fresh.Secret).GetMeAsync()).Id);
        using var anonymous = f.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/v1/me/tokens/revoke-all", null)).StatusCode);
    }

    /// <summary>What <c>hamachi login</c> does: the device flow, approved by the signed-in owner (the Portal's call).</summary>
    internal static async Task<OAuthFlows.Tokens> CliLoginAsync(ApiFactory f, TestUser owner)
    {
        using var cli = f.CreateClient();
        var (status, begun) = await OAuthFlows.PostFormAsync(cli, "/connect/device", new() { ["client_id"] = "hamachi-cli", ["scope"] = "api offline_access" });
        Assert.Equal(HttpStatusCode.OK, status);
        await owner.Client.DecideDeviceCodeAsync(begun.GetProperty("user_code").GetString()!, approve: true);
        var tokens = await OAuthFlows.TokenAsync(cli, new()
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
            ["client_id"] = "hamachi-cli",
            ["device_code"] = begun.GetProperty("device_code").GetString()!,
        });
        Assert.NotNull(tokens.RefreshToken);
        return tokens;
    }

    internal static HamachiClient ClientWith(ApiFactory f, string accessToken)
    {
        var client = new HamachiClient(f.CreateClient());
        client.UseAccessToken(accessToken);
        return client;
    }

    internal static async Task AssertRefreshRefusedAsync(HttpClient http, string clientId, string refreshToken)
    {
        var (status, body) = await OAuthFlows.PostFormAsync(http, "/connect/token", new()
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = clientId,
            ["refresh_token"] = refreshToken,
        });
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (status, body.GetProperty("error").GetString()));
    }

    internal static async Task AssertAccessRefusedAsync(ApiFactory f, string accessToken)
    {
        var refused = await Assert.ThrowsAsync<HamachiApiException>(() => ClientWith(f, accessToken).GetMeAsync());
        Assert.Equal(401, refused.Status);
    }
}

public sealed class SqliteRecoveryTests(SqliteAccountWorld world) : RecoveryTests(world), IClassFixture<SqliteAccountWorld>;

public sealed class PostgresRecoveryTests(PostgresAccountWorld world) : RecoveryTests(world), IClassFixture<PostgresAccountWorld>;
