using System.Net;
using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Client;

namespace HamachiCloud.Api.Tests;

/// <summary>The account's OAuth authorizations as sessions: listed per client, revoked one by one or all at once.</summary>
public abstract class SessionTests(ApiWorld world)
{
    [SkippableFact]
    public async Task Sessions_are_listed_and_a_revoked_one_refreshes_no_more()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f, "sessions");
        var firstId = Assert.Single(await user.Client.ListSessionsAsync()).Id;
        var second = await OAuthFlows.SignInWithCodeAsync(f, user.Email, user.Password);

        var sessions = await user.Client.ListSessionsAsync();
        Assert.Equal(2, sessions.Count);
        Assert.All(sessions, s =>
        {
            Assert.Equal(("hamachi-portal", "HamachiCloud Portal", "valid"), (s.ClientId, s.ClientName, s.Status));
            Assert.Contains("api", s.Scopes);
            Assert.InRange(s.CreatedAt!.Value, TimeProvider.System.GetUtcNow().AddMinutes(-5), TimeProvider.System.GetUtcNow().AddMinutes(1));
        });

        // Another account sees none of them and cannot revoke them.
        var other = await TestUser.CreateAsync(f, "other");
        Assert.DoesNotContain(await other.Client.ListSessionsAsync(), s => sessions.Any(mine => mine.Id == s.Id));
        var foreign = await Assert.ThrowsAsync<HamachiApiException>(() => other.Client.RevokeSessionAsync(sessions[0].Id));
        Assert.Equal((404, ErrorCodes.NotFound), (foreign.Status, foreign.Code));

        // Revoke the first sign-in's session: its refresh token is refused, the second still refreshes.
        using var http = f.CreateClient();
        await user.Client.RevokeSessionAsync(firstId);
        await AssertRefreshRefusedAsync(http, user.Tokens.RefreshToken!);
        var refreshed = await OAuthFlows.RefreshAsync(http, "hamachi-portal", second.RefreshToken!);
        var secondClient = ClientWith(f, refreshed.AccessToken);
        Assert.Contains(await secondClient.ListSessionsAsync(), s => s.Id == firstId && s.Status == "revoked");

        // Revoke all (with the second session's token; the first one's is refused now): the second is refused too.
        await secondClient.RevokeAllSessionsAsync();
        await AssertRefreshRefusedAsync(http, refreshed.RefreshToken!);
        var third = ClientWith(f, (await OAuthFlows.SignInWithCodeAsync(f, user.Email, user.Password)).AccessToken);
        Assert.Equal(2, (await third.ListSessionsAsync()).Count(s => s.Status == "revoked"));
        Assert.Equal(HttpStatusCode.Redirect, (await OAuthFlows.LoginAsync(OAuthFlows.Browser(f), user.Email, user.Password)).StatusCode);

        using var anonymous = f.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/me/sessions")).StatusCode);
        var badId = await Assert.ThrowsAsync<HamachiApiException>(() => third.RevokeSessionAsync(Guid.NewGuid()));
        Assert.Equal((404, ErrorCodes.NotFound), (badId.Status, badId.Code));
    }

    [SkippableFact]
    public async Task Access_tokens_of_a_revoked_session_or_a_revoked_token_are_refused_at_once()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f, "revoked");
        var laptop = await OAuthFlows.SignInWithCodeAsync(f, user.Email, user.Password);
        var laptopClient = ClientWith(f, laptop.AccessToken);
        await laptopClient.GetMeAsync();

        // The session is revoked from another sign-in: its access token stops working now, not in an hour.
        var laptopSession = (await user.Client.ListSessionsAsync()).OrderBy(s => s.CreatedAt).Last().Id;
        await user.Client.RevokeSessionAsync(laptopSession);
        var refused = await Assert.ThrowsAsync<HamachiApiException>(() => laptopClient.GetMeAsync());
        Assert.Equal(401, refused.Status);
        await user.Client.GetMeAsync();

        // The Portal's sign-out revokes its access token at /connect/revoke: refused at once too.
        using var http = f.CreateClient();
        var (status, _) = await OAuthFlows.PostFormAsync(http, "/connect/revoke", new()
        {
            ["client_id"] = "hamachi-portal",
            ["token"] = user.Tokens.AccessToken,
            ["token_type_hint"] = "access_token",
        });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(401, (await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.GetMeAsync())).Status);
    }

    private static HamachiClient ClientWith(ApiFactory f, string accessToken)
    {
        var client = new HamachiClient(f.CreateClient());
        client.UseAccessToken(accessToken);
        return client;
    }

    private static async Task AssertRefreshRefusedAsync(HttpClient http, string refreshToken)
    {
        var (status, body) = await OAuthFlows.PostFormAsync(http, "/connect/token", new()
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "hamachi-portal",
            ["refresh_token"] = refreshToken,
        });
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (status, body.GetProperty("error").GetString()));
    }
}

public sealed class SqliteSessionTests(SqliteWorld world) : SessionTests(world), IClassFixture<SqliteWorld>;

public sealed class PostgresSessionTests(PostgresWorld world) : SessionTests(world), IClassFixture<PostgresWorld>;
