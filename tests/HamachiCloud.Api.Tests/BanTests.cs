using System.Net;
using System.Net.Http.Json;
using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Bans;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Contracts.Plans;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Relay;
using HamachiCloud.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Issue 14, item 2: account, device and range bans, each where its scope says; the public reason reaches the banned
/// user and the staff note never does; exemptions spare accounts in good standing from range bans only; expired and
/// lifted bans stop acting (lifting keeps the row); refusals are counted and written; relays get the list pushed.
/// Each test has its own Api (bans would reach the other tests).
/// </summary>
public sealed class BanTests
{
    private const string StaffAddress = "192.0.2.50";
    private const string Note = "staff-only: matched ticket 4711";

    [Fact]
    public async Task An_account_ban_holds_rest_and_agents_of_that_account_with_the_public_reason_until_lifted()
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        var staff = As(f, await TestUser.CreateStaffAsync(f), StaffAddress);
        var banned = await TestUser.CreateAsync(f, "banned");
        var other = await TestUser.CreateAsync(f, "other");
        await using var agent = await TestAgent.EnrolWithSetupKeyAsync(f, banned, "laptop");
        await agent.ConnectAsync(f, clientAddress: "198.51.100.20", webSocket: true);
        await agent.HelloAsync();
        Assert.True((await agent.LoginAsync()).Ok);

        var ban = await staff.CreateBanAsync(new CreateBanRequest(null, "spam from this account", Kind: BanTarget.Account, UserId: banned.Id, StaffNote: Note));
        Assert.Equal((BanTarget.Account, banned.Id, Note), (ban.Kind, ban.UserId, ban.StaffNote));

        await agent.WaitUntilAsync(a => a.Closed, "the banned account's live session to end", TimeSpan.FromSeconds(5));
        var goodbye = Assert.Single(agent.Goodbyes);
        Assert.Equal(LoginErrors.Banned, goodbye.Code);
        Assert.Contains("spam from this account", goodbye.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Note, goodbye.Reason, StringComparison.Ordinal);

        var refused = await Assert.ThrowsAsync<HamachiApiException>(() => As(f, banned, "198.51.100.20").ListNetworksAsync());
        Assert.Equal((403, ErrorCodes.Banned), (refused.Status, refused.Code));
        Assert.Contains("spam from this account", refused.Problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Note, refused.Problem.Detail ?? "", StringComparison.Ordinal);
        Assert.Empty(await As(f, other, "198.51.100.20").ListNetworksAsync()); // same address, other account: not held

        await using (var again = await ReconnectAsync(f, agent, "198.51.100.20"))
        {
            var login = await again.LoginAsync();
            Assert.Equal(LoginErrors.Banned, login.ErrorCode);
            Assert.DoesNotContain(Note, login.Error ?? "", StringComparison.Ordinal);
        }

        var lifted = await staff.LiftBanAsync(ban.Id);
        Assert.NotNull(lifted.LiftedAt);
        Assert.Empty(await As(f, banned, "198.51.100.20").ListNetworksAsync());
        await using (var back = await ReconnectAsync(f, agent, "198.51.100.20"))
        {
            Assert.True((await back.LoginAsync()).Ok);
        }

        var listed = Assert.Single(await staff.ListBansAsync(), b => b.Id == ban.Id); // lifting keeps the row
        Assert.Equal(banned.Email, listed.UserEmail);
        Assert.False(listed.IsActive(TimeProvider.System.GetUtcNow()));
        await using var scope = f.Services.CreateAsyncScope();
        var actions = await scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>().AuditEvents
            .Where(e => e.TargetId == ban.Id.ToString()).Select(e => e.Action).ToListAsync();
        Assert.Equal(["ban.created", "ban.lifted"], actions.Order().ToList());
    }

    [Fact]
    public async Task A_device_ban_holds_that_devices_agent_only_and_scope_decides_where_a_ban_acts()
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        var staff = As(f, await TestUser.CreateStaffAsync(f), StaffAddress);
        var user = await TestUser.CreateAsync(f, "owner");
        await using var bad = await TestAgent.EnrolWithSetupKeyAsync(f, user, "bad");
        await using var good = await TestAgent.EnrolWithSetupKeyAsync(f, user, "good");
        var ban = await staff.CreateBanAsync(new CreateBanRequest(null, "compromised machine", Kind: BanTarget.Device, DeviceId: bad.DeviceId,
            Scope: BanScopes.Control | BanScopes.Relays));

        await bad.ConnectAsync(f, clientAddress: "198.51.100.30", webSocket: true);
        await bad.HelloAsync();
        var refused = await bad.LoginAsync();
        Assert.Equal(LoginErrors.Banned, refused.ErrorCode);
        Assert.Contains("this device is banned: compromised machine", refused.Error, StringComparison.Ordinal);
        await good.ConnectAsync(f, clientAddress: "198.51.100.30", webSocket: true);
        await good.HelloAsync();
        Assert.True((await good.LoginAsync()).Ok);
        Assert.Empty(await As(f, user, "198.51.100.30").ListNetworksAsync()); // scope Control + Relays: REST is not held

        // A range ban for the control channel only: REST from the range passes, the agent's login does not.
        var range = await staff.CreateBanAsync(new CreateBanRequest("203.0.113.0/24", "botnet", Scope: BanScopes.Control));
        Assert.Empty(await As(f, user, "203.0.113.5").ListNetworksAsync());
        await using (var fromRange = await ReconnectAsync(f, good, "203.0.113.5"))
        {
            Assert.Equal(LoginErrors.Banned, (await fromRange.LoginAsync()).ErrorCode);
        }

        // Edited to sign-in and API only: the other way round.
        var edited = await staff.UpdateBanAsync(range.Id, new UpdateBanRequest("botnet", Note, Scope: BanScopes.SignInAndApi));
        Assert.Equal((BanScopes.SignInAndApi, Note), (edited.Scope, edited.StaffNote));
        Assert.True(edited.UpdatedAt > range.UpdatedAt);
        var rest = await Assert.ThrowsAsync<HamachiApiException>(() => As(f, user, "203.0.113.5").ListNetworksAsync());
        Assert.Equal((403, ErrorCodes.Banned), (rest.Status, rest.Code));
        Assert.Contains("botnet", rest.Problem.Detail, StringComparison.Ordinal);
        await using (var fromRange = await ReconnectAsync(f, good, "203.0.113.5"))
        {
            Assert.True((await fromRange.LoginAsync()).Ok);
        }

        var noKind = await Assert.ThrowsAsync<HamachiApiException>(() =>
            staff.CreateBanAsync(new CreateBanRequest(null, "x", Kind: BanTarget.Device)));
        Assert.Equal((400, ErrorCodes.ValidationFailed), (noKind.Status, noKind.Code));
        Assert.True(noKind.Problem.Errors!.ContainsKey("deviceId"));
        var noScope = await Assert.ThrowsAsync<HamachiApiException>(() =>
            staff.CreateBanAsync(new CreateBanRequest("198.51.100.0/24", "x", Scope: BanScopes.None)));
        Assert.True(noScope.Problem.Errors!.ContainsKey("scope"));
        var exemptAccount = await Assert.ThrowsAsync<HamachiApiException>(() =>
            staff.CreateBanAsync(new CreateBanRequest(null, "x", Kind: BanTarget.Account, UserId: user.Id, ExemptPaidAccounts: true)));
        Assert.True(exemptAccount.Problem.Errors!.ContainsKey("exemptPaidAccounts"));
        var notStaff = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.LiftBanAsync(ban.Id));
        Assert.Equal(403, notStaff.Status);
    }

    [Fact]
    public async Task Exemptions_spare_paid_and_old_never_banned_accounts_from_a_range_ban()
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        var staffUser = await TestUser.CreateStaffAsync(f);
        var staff = As(f, staffUser, StaffAddress);
        var paid = await TestUser.CreateAsync(f, "paid");
        var free = await TestUser.CreateAsync(f, "free");
        var old = await TestUser.CreateAsync(f, "old");
        var oldButBanned = await TestUser.CreateAsync(f, "old-banned");
        await staffUser.Client.GrantPlanAsync(new GrantPlanRequest(HamachiCloud.Data.Entities.Plan.MultiNetworkId, "test: a paying customer", 30, UserId: paid.Id));
        await using (var scope = f.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>();
            foreach (var u in await db.Users.Where(u => u.Id == old.Id || u.Id == oldButBanned.Id).ToListAsync())
            {
                u.CreatedAt = u.CreatedAt.AddDays(-400);
            }

            await db.SaveChangesAsync();
        }

        var earlier = await staff.CreateBanAsync(new CreateBanRequest(null, "an old dispute", Kind: BanTarget.Account, UserId: oldButBanned.Id));
        await staff.LiftBanAsync(earlier.Id);

        var ban = await staff.CreateBanAsync(new CreateBanRequest("198.51.100.0/24", "abuse from this provider",
            ExemptPaidAccounts: true, ExemptAccountsOlderThanDays: 365));
        Assert.Empty(await As(f, paid, "198.51.100.9").ListNetworksAsync());
        Assert.Empty(await As(f, old, "198.51.100.9").ListNetworksAsync());
        foreach (var held in new[] { free, oldButBanned })
        {
            var refused = await Assert.ThrowsAsync<HamachiApiException>(() => As(f, held, "198.51.100.9").ListNetworksAsync());
            Assert.Equal((403, ErrorCodes.Banned), (refused.Status, refused.Code));
            Assert.Contains("abuse from this provider", refused.Problem.Detail, StringComparison.Ordinal);
        }

        using (var anonymous = await Client(f, "198.51.100.9").GetAsync("/api/v1/networks"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode); // no account named: never exempt
        }

        // The paid account's agent logs in from the range; the free one's does not.
        await using var paidAgent = await TestAgent.EnrolWithSetupKeyAsync(f, paid, "paid-laptop");
        await paidAgent.ConnectAsync(f, clientAddress: "198.51.100.9", webSocket: true);
        await paidAgent.HelloAsync();
        Assert.True((await paidAgent.LoginAsync()).Ok);
        await using var freeAgent = await TestAgent.EnrolWithSetupKeyAsync(f, free, "free-laptop");
        await freeAgent.ConnectAsync(f, clientAddress: "198.51.100.9", webSocket: true);
        await freeAgent.HelloAsync();
        Assert.Equal(LoginErrors.Banned, (await freeAgent.LoginAsync()).ErrorCode);

        // Without the exemptions the paid account is held too, and its live session ends.
        await staff.UpdateBanAsync(ban.Id, new UpdateBanRequest("abuse from this provider"));
        await paidAgent.WaitUntilAsync(a => a.Closed, "the no longer exempted session to end", TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<HamachiApiException>(() => As(f, paid, "198.51.100.9").ListNetworksAsync());
    }

    [Fact]
    public async Task Expired_and_lifted_bans_stop_acting_and_refusals_are_counted()
    {
        // The background flush waits 300 s here: the test flushes by hand and reads exact counts.
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string> { ["Bans:HitFlushSeconds"] = "300" });
        var staff = As(f, await TestUser.CreateStaffAsync(f), StaffAddress);
        var user = await TestUser.CreateAsync(f, "user");
        var ban = await staff.CreateBanAsync(new CreateBanRequest("198.51.100.0/24", "counted", ExpiresInHours: 1));
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<HamachiApiException>(() => As(f, user, "198.51.100.1").ListNetworksAsync());
        }

        // A relay reports its own refusals with the heartbeat.
        using (var beat = await RelayApiTests.PostAsync(f.CreateClient(), RelayApiTests.Heartbeat(Guid.NewGuid()) with { BanHits = new Dictionary<Guid, long> { [ban.Id] = 5 } }))
        {
            Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
        }

        Assert.Equal(1, await f.Services.GetRequiredService<Bans.BanHitFlusher>().FlushAsync(CancellationToken.None));
        var counted = Assert.Single(await staff.ListBansAsync(), b => b.Id == ban.Id);
        Assert.Equal(8, counted.HitCount);
        Assert.NotNull(counted.LastHitAt);

        // Expired (moved into the past in the database, as time would): no longer acting.
        await using (var scope = f.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>();
            var row = await db.Bans.SingleAsync(b => b.Id == ban.Id);
            row.ExpiresAt = TimeProvider.System.GetUtcNow().AddMinutes(-1);
            row.UpdatedAt = TimeProvider.System.GetUtcNow();
            await db.SaveChangesAsync();
        }

        f.Services.GetRequiredService<Bans.BanList>().Invalidate();
        Assert.Empty(await As(f, user, "198.51.100.1").ListNetworksAsync());

        var second = await staff.CreateBanAsync(new CreateBanRequest("198.51.100.0/24", "again"));
        await Assert.ThrowsAsync<HamachiApiException>(() => As(f, user, "198.51.100.1").ListNetworksAsync());
        await staff.DeleteBanAsync(second.Id); // DELETE lifts too
        Assert.Empty(await As(f, user, "198.51.100.1").ListNetworksAsync());
        Assert.Equal(2, (await staff.ListBansAsync()).Count(b => b.Cidr == "198.51.100.0/24"));
        var edit = await Assert.ThrowsAsync<HamachiApiException>(() => staff.UpdateBanAsync(second.Id, new UpdateBanRequest("x")));
        Assert.Equal(400, edit.Status); // a lifted ban is not edited back to life
    }

    [Fact]
    public async Task A_relays_ban_poll_is_answered_when_a_ban_changes_with_ranges_and_node_keys()
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        var staff = As(f, await TestUser.CreateStaffAsync(f), StaffAddress);
        var user = await TestUser.CreateAsync(f, "user");
        await using var agent = await TestAgent.EnrolWithSetupKeyAsync(f, user, "relayed");
        var http = Client(f, "203.0.113.99");
        http.DefaultRequestHeaders.Add(RelayHeartbeatRequest.SecretHeader, ApiFactory.RelaySecret);

        using (var noSecret = await Client(f, "203.0.113.99").PostAsJsonAsync(RelayBanPoll.Path, new RelayBanPoll(Guid.NewGuid(), null)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noSecret.StatusCode);
        }

        var first = await PollAsync(http, null); // no version yet: answered at once
        Assert.Empty(first.Bans);

        var waiting = PollAsync(http, first.Version);
        await Task.Delay(TimeSpan.FromMilliseconds(300), TimeProvider.System);
        Assert.False(waiting.IsCompleted); // nothing changed: the poll waits
        var started = System.Diagnostics.Stopwatch.StartNew();
        var ban = await staff.CreateBanAsync(new CreateBanRequest(null, "relay abuse", Kind: BanTarget.Device, DeviceId: agent.DeviceId));
        var pushed = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), $"pushed after {started.Elapsed}");
        Assert.NotEqual(first.Version, pushed.Version);
        var entry = Assert.Single(pushed.Bans);
        Assert.Equal((ban.Id, (string?)null), (entry.Id, entry.Cidr));
        Assert.Equal(agent.NodeKey, Assert.Single(entry.NodeKeys));

        var range = await staff.CreateBanAsync(new CreateBanRequest("198.51.100.0/24", "control only", Scope: BanScopes.Control));
        var afterRange = await PollAsync(http, pushed.Version);
        Assert.DoesNotContain(afterRange.Bans, b => b.Id == range.Id); // not in scope Relays
        await staff.LiftBanAsync(ban.Id);
        var afterLift = await PollAsync(http, afterRange.Version);
        Assert.Empty(afterLift.Bans);
    }

    private static async Task<RelayBanList> PollAsync(HttpClient http, string? version)
    {
        using var response = await http.PostAsJsonAsync(RelayBanPoll.Path, new RelayBanPoll(Guid.NewGuid(), version));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RelayBanList>(HamachiJson.Options))!;
    }

    /// <summary>A new connection of the same enrolled device from <paramref name="address"/>, hello done.</summary>
    private static async Task<TestAgent> ReconnectAsync(ApiFactory f, TestAgent agent, string address)
    {
        var again = agent.Clone();
        await again.ConnectAsync(f, clientAddress: address, webSocket: true);
        await again.HelloAsync();
        return again;
    }

    private static HttpClient Client(ApiFactory f, string address)
    {
        var http = f.CreateClient();
        http.DefaultRequestHeaders.Add(TestClientAddress.Header, address);
        return http;
    }

    /// <summary>A client with the user's token whose requests come from <paramref name="address"/>.</summary>
    [Fact]
    public async Task The_expiry_job_keeps_an_expired_ban_with_its_history_and_audits_it_once()
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        var staff = As(f, await TestUser.CreateStaffAsync(f), StaffAddress);
        var user = await TestUser.CreateAsync(f, "expiring");
        var ban = await staff.CreateBanAsync(new CreateBanRequest("198.51.100.0/24", "a day off", ExpiresInHours: 1));
        var refused = await Assert.ThrowsAsync<HamachiApiException>(() => As(f, user, "198.51.100.7").ListNetworksAsync());
        Assert.Equal(ErrorCodes.Banned, refused.Code);

        using (var scope = f.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>();
            var row = await db.Bans.SingleAsync(b => b.Id == ban.Id);
            row.CreatedAt = row.UpdatedAt = TimeProvider.System.GetUtcNow().AddHours(-1).AddMinutes(-1); // as if the hour had passed
            row.ExpiresAt = row.CreatedAt.AddHours(1);
            await db.SaveChangesAsync();
        }

        for (var run = 0; run < 2; run++)
        {
            using var scope = f.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<Jobs.MaintenanceJobs>().ExpireBansAsync(CancellationToken.None);
        }

        Assert.Empty(await As(f, user, "198.51.100.7").ListNetworksAsync()); // every node was told: it acts no more
        using (var scope = f.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>();
            var kept = await db.Bans.AsNoTracking().SingleAsync(b => b.Id == ban.Id);
            Assert.True(kept.HitCount >= 0 && kept.LiftedAt is null && kept.UpdatedAt >= kept.ExpiresAt);
            Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == "ban.expired" && a.TargetId == ban.Id.ToString()));
        }

        Assert.Contains(await staff.ListBansAsync(), b => b.Id == ban.Id); // still listed, with its history
    }

    private static HamachiClient As(ApiFactory f, TestUser user, string address)
    {
        var client = new HamachiClient(Client(f, address));
        client.UseAccessToken(user.Tokens.AccessToken);
        return client;
    }
}
