using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Enrolment;
using HamachiCloud.Api.Contracts.SetupKeys;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>Enrolment over REST and the login of the control channel: mutual proof, refusals with their codes.</summary>
public abstract class ControlLoginTests(ApiWorld world)
{
    [SkippableFact]
    public async Task Enrol_with_a_setup_key_or_a_token_returns_addresses_and_the_server_key()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        await using var byKey = await TestAgent.EnrolWithSetupKeyAsync(f, user, "rack-1");
        await using var byToken = await TestAgent.EnrolAsync(user.Client, "laptop");

        Assert.Equal("100.64.0.0/10", byKey.Enrolment.OverlayPrefixV4);
        Assert.NotEqual(byKey.Enrolment.VirtualIPv4, byToken.Enrolment.VirtualIPv4);
        Assert.Equal(byKey.Enrolment.ServerIdentityKey, byToken.Enrolment.ServerIdentityKey);
        Assert.NotNull(byKey.Enrolment.KeyExpiresAt);
        Assert.Equal(["laptop", "rack-1"], (await user.Client.ListDevicesAsync()).Select(d => d.Name));
    }

    [SkippableFact]
    public async Task Enrol_refuses_used_or_unknown_setup_keys_missing_credentials_and_bad_keys()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        var anonymous = new HamachiClient(f.CreateClient());
        var key = await user.Client.CreateSetupKeyAsync(new CreateSetupKeyRequest("one-off"));
        await using var first = await TestAgent.EnrolAsync(anonymous, "first", key.Key);

        var used = await Assert.ThrowsAsync<HamachiApiException>(() => TestAgent.EnrolAsync(anonymous, "second", key.Key));
        Assert.Equal((401, ErrorCodes.InvalidSetupKey), (used.Status, used.Code));
        var unknown = await Assert.ThrowsAsync<HamachiApiException>(() => TestAgent.EnrolAsync(anonymous, "third", "hc_key_nope"));
        Assert.Equal((401, ErrorCodes.InvalidSetupKey), (unknown.Status, unknown.Code));
        var none = await Assert.ThrowsAsync<HamachiApiException>(() => TestAgent.EnrolAsync(anonymous, "fourth"));
        Assert.Equal((401, ErrorCodes.Unauthorized), (none.Status, none.Code));

        var readOnly = await user.Client.CreateApiTokenAsync(new Contracts.Accounts.CreateApiTokenRequest("ro", ["read"]));
        var reader = new HamachiClient(f.CreateClient());
        reader.UseAccessToken(readOnly.Secret);
        var forbidden = await Assert.ThrowsAsync<HamachiApiException>(() => TestAgent.EnrolAsync(reader, "fifth"));
        Assert.Equal(403, forbidden.Status);

        var badKey = await Assert.ThrowsAsync<HamachiApiException>(() =>
            user.Client.EnrolAsync(new EnrolRequest("bad", "not base64!", Convert.ToBase64String(new byte[32]))));
        Assert.Equal((400, ErrorCodes.ValidationFailed), (badKey.Status, badKey.Code));
        var shortKey = await Assert.ThrowsAsync<HamachiApiException>(() =>
            user.Client.EnrolAsync(new EnrolRequest("bad", Convert.ToBase64String(new byte[32]), Convert.ToBase64String(new byte[31]))));
        Assert.Equal(400, shortKey.Status);
    }

    [SkippableFact]
    public async Task Login_succeeds_and_the_map_verifies_with_the_pinned_key_but_not_with_another()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        await using var agent = await TestAgent.EnrolWithSetupKeyAsync(f, user, "a");
        await agent.ConnectAsync(f);
        var hello = await agent.HelloAsync([ControlProtocol.Version, 99]);
        Assert.Equal(ControlProtocol.Version, hello.ProtocolVersion);
        Assert.True(agent.ServerProofVerifies());

        var pinned = agent.PinnedServerKey;
        using var impostor = SigningKey.Generate();
        agent.PinnedServerKey = impostor.PublicKey;
        Assert.False(agent.ServerProofVerifies()); // an agent pinned to another key refuses before sending its proof
        agent.PinnedServerKey = pinned;

        Assert.True((await agent.LoginAsync()).Ok);
        await agent.WaitUntilAsync(a => a.Map is not null, "the full map");
        Assert.Equal(agent.Enrolment.VirtualIPv4, agent.Map!.SelfIPv4);
        Assert.True(agent.Map.Version >= 1);
        Assert.Empty(agent.Map.Networks);
    }

    [SkippableFact]
    public async Task A_forged_signature_an_unknown_device_and_an_expired_key_are_refused_and_the_first_two_alike()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);

        await using var forged = await TestAgent.EnrolWithSetupKeyAsync(f, user, "forged");
        await forged.ConnectAsync(f);
        await forged.HelloAsync();
        using var other = SigningKey.Generate();
        var forgedAnswer = await forged.LoginAsync(signWith: other);
        Assert.Equal(LoginErrors.BadSignature, forgedAnswer.ErrorCode);
        await forged.WaitUntilAsync(a => a.Closed, "the refused connection to close");

        await using var unknown = await TestAgent.EnrolWithSetupKeyAsync(f, user, "unknown");
        await unknown.ConnectAsync(f);
        await unknown.HelloAsync(deviceId: Guid.NewGuid());
        var unknownAnswer = await unknown.LoginAsync();

        // An unknown device id and a wrong signature look the same: a probe learns nothing about which ids are enrolled.
        Assert.Equal((forgedAnswer.Ok, forgedAnswer.ErrorCode, forgedAnswer.Error), (unknownAnswer.Ok, unknownAnswer.ErrorCode, unknownAnswer.Error));

        await using var expired = await TestAgent.EnrolWithSetupKeyAsync(f, user, "expired");
        await expired.ExpireKeyAsync(f);
        await expired.ConnectAsync(f);
        await expired.HelloAsync();
        var refused = await expired.LoginAsync();
        Assert.Equal((false, LoginErrors.KeyExpired), (refused.Ok, refused.ErrorCode));
        Assert.False(string.IsNullOrEmpty(refused.Error));

        await using var old = await TestAgent.EnrolWithSetupKeyAsync(f, user, "old");
        await old.ConnectAsync(f);
        var hello = await old.HelloAsync([99]);
        Assert.Equal(LoginErrors.UnsupportedVersion, hello.ErrorCode);
    }

    [SkippableFact]
    public async Task A_session_from_a_banned_address_is_refused_at_login()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        var staff = await TestUser.CreateStaffAsync(f);
        await using var agent = await TestAgent.EnrolWithSetupKeyAsync(f, user, "banned");
        await agent.ConnectAsync(f, clientAddress: "198.51.100.7", webSocket: true); // one request: only the hub's own check can refuse it
        await agent.HelloAsync();
        var ban = await staff.Client.CreateBanAsync(new("198.51.100.0/24", "abuse"));
        try
        {
            Assert.Equal(LoginErrors.Banned, (await agent.LoginAsync()).ErrorCode);
        }
        finally
        {
            await staff.Client.DeleteBanAsync(ban.Id);
        }

        // The REST middleware leaves the hub path to the hub: its login applies the Control scope (BanTests has the scopes).
    }

    [SkippableFact]
    public async Task A_live_session_from_a_newly_banned_range_is_told_why_and_closed_at_once()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        var staff = await TestUser.CreateStaffAsync(f);
        await using var agent = await TestAgent.EnrolWithSetupKeyAsync(f, user, "live-banned");
        await using var bystander = await TestAgent.EnrolWithSetupKeyAsync(f, user, "bystander");
        await agent.ConnectAsync(f, clientAddress: "203.0.113.77", webSocket: true);
        await agent.HelloAsync();
        Assert.True((await agent.LoginAsync()).Ok);
        await bystander.ConnectAsync(f, clientAddress: "192.0.2.77", webSocket: true);
        await bystander.HelloAsync();
        Assert.True((await bystander.LoginAsync()).Ok);

        var ban = await staff.Client.CreateBanAsync(new("203.0.113.0/24", "abuse from this range"));
        try
        {
            await agent.WaitUntilAsync(a => a.Closed, "the banned session to close", TimeSpan.FromSeconds(5));
            var goodbye = Assert.Single(agent.Goodbyes);
            Assert.Equal(LoginErrors.Banned, goodbye.Code);
            Assert.Contains("abuse from this range", goodbye.Reason);
            Assert.False(bystander.Closed);
            Assert.Empty(bystander.Goodbyes);
            await using var scope = f.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>();
            Assert.Null((await db.Devices.SingleAsync(d => d.Id == agent.DeviceId)).ConnectionId);
        }
        finally
        {
            await staff.Client.DeleteBanAsync(ban.Id);
        }
    }

    [SkippableFact]
    public async Task A_deleted_devices_live_session_is_told_and_closed()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        await using var agent = await TestAgent.EnrolWithSetupKeyAsync(f, user, "to-delete");
        await agent.ConnectAsync(f, webSocket: true);
        await agent.HelloAsync();
        Assert.True((await agent.LoginAsync()).Ok);

        await user.Client.DeleteDeviceAsync(agent.DeviceId);

        await agent.WaitUntilAsync(a => a.Closed, "the deleted device's session to close", TimeSpan.FromSeconds(5));
        Assert.Contains(agent.Goodbyes, g => g.Code == LoginErrors.UnknownDevice);
    }

    [SkippableFact]
    public async Task A_call_before_login_or_a_second_hello_is_refused_and_the_connection_closed()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        await using var early = await TestAgent.EnrolWithSetupKeyAsync(f, user, "early");
        await early.ConnectAsync(f);
        await Assert.ThrowsAnyAsync<Exception>(() => early.Connection.InvokeAsync<CommandResult>(nameof(IAgentHub.JoinNetwork), "123-456-789", null));
        await early.WaitUntilAsync(a => a.Closed, "the connection to close");

        await using var twice = await TestAgent.EnrolWithSetupKeyAsync(f, user, "twice");
        await twice.ConnectAsync(f);
        await twice.HelloAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => twice.HelloAsync());
        await twice.WaitUntilAsync(a => a.Closed, "the connection to close");
    }
}

public sealed class SqliteControlLoginTests(SqliteWorld world) : ControlLoginTests(world), IClassFixture<SqliteWorld>;

public sealed class PostgresControlLoginTests(PostgresWorld world) : ControlLoginTests(world), IClassFixture<PostgresWorld>;
