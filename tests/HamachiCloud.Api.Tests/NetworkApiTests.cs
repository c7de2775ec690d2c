using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Members;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Api.Tests;

/// <summary>Networks and members through the typed client; runs on SQLite and on PostgreSQL.</summary>
public abstract class NetworkApiTests(ApiWorld world)
{
    [SkippableFact]
    public async Task Second_user_joins_with_the_right_password_and_is_refused_with_a_wrong_one()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var guest = await TestUser.CreateAsync(f, "guest");

        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("LAN party", Password: "s3cret-pass"));
        Assert.Matches(@"^\d{3}-\d{3}-\d{3}$", net.NetworkId);
        Assert.Equal(JoinPolicy.Password, net.JoinPolicy);
        Assert.True(net.HasPassword);
        Assert.Equal(MemberRole.Owner, net.MyRole);

        var wrong = await Assert.ThrowsAsync<HamachiApiException>(() => guest.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId, "nope")));
        Assert.Equal((403, ErrorCodes.WrongPassword), (wrong.Status, wrong.Code));
        var missing = await Assert.ThrowsAsync<HamachiApiException>(() => guest.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId)));
        Assert.Equal(ErrorCodes.PasswordRequired, missing.Code);
        Assert.Empty(await guest.Client.ListNetworksAsync());

        var joined = await guest.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId.Replace("-", ""), "s3cret-pass"));
        Assert.Equal(MemberStatus.Active, joined.MyStatus);
        Assert.Equal(2, joined.MemberCount);
        Assert.Equal(net.Id, Assert.Single(await guest.Client.ListNetworksAsync()).Id);

        var again = await Assert.ThrowsAsync<HamachiApiException>(() => guest.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId, "s3cret-pass")));
        Assert.Equal((409, ErrorCodes.AlreadyMember), (again.Status, again.Code));

        var members = await owner.Client.ListMembersAsync(net.Id);
        Assert.Equal([(owner.Id, MemberRole.Owner), (guest.Id, MemberRole.Member)], members.Select(m => (m.UserId, m.Role)));
    }

    [SkippableFact]
    public async Task Approval_flow_keeps_requests_pending_until_an_admin_decides()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var alice = await TestUser.CreateAsync(f, "alice");
        var bob = await TestUser.CreateAsync(f, "bob");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("Approval net", JoinPolicy: JoinPolicy.Approval));

        var pending = await alice.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        Assert.Equal(MemberStatus.Pending, pending.MyStatus);
        Assert.Equal(1, pending.MemberCount);
        var twice = await Assert.ThrowsAsync<HamachiApiException>(() => alice.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId)));
        Assert.Equal(ErrorCodes.JoinPending, twice.Code);

        // A pending member sees the network but not its members, and cannot approve itself.
        Assert.Equal(MemberStatus.Pending, (await alice.Client.GetNetworkAsync(net.Id)).MyStatus);
        var self = await Assert.ThrowsAsync<HamachiApiException>(() => alice.Client.ApproveMemberAsync(net.Id, alice.Id));
        Assert.Equal(404, self.Status);

        Assert.Contains(await owner.Client.ListMembersAsync(net.Id), m => m.UserId == alice.Id && m.Status == MemberStatus.Pending);
        var approved = await owner.Client.ApproveMemberAsync(net.Id, alice.Id);
        Assert.Equal(MemberStatus.Active, approved.Status);
        Assert.Equal(2, (await alice.Client.GetNetworkAsync(net.Id)).MemberCount);

        var notPending = await Assert.ThrowsAsync<HamachiApiException>(() => owner.Client.ApproveMemberAsync(net.Id, alice.Id));
        Assert.Equal((409, ErrorCodes.NotPending), (notPending.Status, notPending.Code));

        await bob.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        var forbidden = await Assert.ThrowsAsync<HamachiApiException>(() => alice.Client.RejectMemberAsync(net.Id, bob.Id));
        Assert.Equal((403, ErrorCodes.Forbidden), (forbidden.Status, forbidden.Code));
        var rejected = await owner.Client.RejectMemberAsync(net.Id, bob.Id);
        Assert.Equal(MemberStatus.Rejected, rejected.Status);
        Assert.Empty(await bob.Client.ListNetworksAsync());
        Assert.Equal(404, (await Assert.ThrowsAsync<HamachiApiException>(() => bob.Client.GetNetworkAsync(net.Id))).Status);
    }

    [SkippableFact]
    public async Task Eviction_removes_access_and_only_managers_may_evict()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var admin = await TestUser.CreateAsync(f, "admin");
        var member = await TestUser.CreateAsync(f, "member");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("Evict net", JoinPolicy: JoinPolicy.Open));
        await admin.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await member.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await owner.Client.SetMemberRoleAsync(net.Id, admin.Id, new SetRoleRequest(MemberRole.Admin));

        var byMember = await Assert.ThrowsAsync<HamachiApiException>(() => member.Client.EvictMemberAsync(net.Id, admin.Id));
        Assert.Equal(403, byMember.Status);
        var adminOnOwner = await Assert.ThrowsAsync<HamachiApiException>(() => admin.Client.EvictMemberAsync(net.Id, owner.Id));
        Assert.Equal(403, adminOnOwner.Status);

        var evicted = await admin.Client.EvictMemberAsync(net.Id, member.Id);
        Assert.Equal(MemberStatus.Evicted, evicted.Status);
        Assert.Empty(await member.Client.ListNetworksAsync());
        Assert.Equal(404, (await Assert.ThrowsAsync<HamachiApiException>(() => member.Client.ListMembersAsync(net.Id))).Status);
        Assert.DoesNotContain(await admin.Client.ListMembersAsync(net.Id), m => m.UserId == member.Id && m.Status == MemberStatus.Active);

        // Locking the network keeps the evicted member out.
        await owner.Client.UpdateNetworkAsync(net.Id, new UpdateNetworkRequest(Locked: true));
        var locked = await Assert.ThrowsAsync<HamachiApiException>(() => member.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId)));
        Assert.Equal((403, ErrorCodes.NetworkLocked), (locked.Status, locked.Code));
    }

    [SkippableFact]
    public async Task Free_tier_refuses_the_sixth_member_naming_the_limit_and_the_plan_that_allows_it()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("Free net", JoinPolicy: JoinPolicy.Open));
        Assert.Equal((5, "Free"), (net.MemberLimit, net.Plan));

        for (var i = 2; i <= 5; i++)
        {
            var u = await TestUser.CreateAsync(f, $"m{i}");
            await u.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        }

        var sixth = await TestUser.CreateAsync(f, "m6");
        var full = await Assert.ThrowsAsync<HamachiApiException>(() => sixth.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId)));
        Assert.Equal((402, ErrorCodes.PlanRequired, "Standard"), (full.Status, full.Code, full.Problem.Plan));
        Assert.Contains("Free plan allows 5 members", full.Problem.Detail, StringComparison.Ordinal);
        Assert.Contains("needs the Standard plan", full.Problem.Detail, StringComparison.Ordinal);
        Assert.Equal(5, (await owner.Client.GetNetworkAsync(net.Id)).MemberCount);
    }

    [SkippableFact]
    public async Task Without_a_policy_or_password_a_network_needs_approval_and_open_is_asked_for()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var plain = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("Plain net"));
        Assert.Equal(JoinPolicy.Approval, plain.JoinPolicy);
        var passworded = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("Secret net", Password: "a long secret"));
        Assert.Equal(JoinPolicy.Password, passworded.JoinPolicy);
        var open = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("Open net", JoinPolicy: JoinPolicy.Open));
        Assert.Equal(JoinPolicy.Open, open.JoinPolicy);

        // Someone who found the id of the plain network only gets a pending request.
        var finder = await TestUser.CreateAsync(f, "finder");
        await finder.Client.JoinNetworkAsync(new JoinNetworkRequest(plain.NetworkId));
        Assert.Contains(await owner.Client.ListMembersAsync(plain.Id), m => m.UserId == finder.Id && m.Status == MemberStatus.Pending);
    }

    [SkippableFact]
    public async Task Join_attempts_are_limited_per_account_so_ids_cannot_be_scanned()
    {
        var f = await world.GetAsync();
        var scanner = await TestUser.CreateAsync(f, "scanner");
        var codes = new List<string>();
        for (var i = 0; i < 21; i++)
        {
            var id = $"9{i:00}-000-{i:000}";
            var refused = await Assert.ThrowsAsync<HamachiApiException>(() => scanner.Client.JoinNetworkAsync(new JoinNetworkRequest(id)));
            codes.Add(refused.Code);
        }

        Assert.All(codes.Take(20), c => Assert.Equal(ErrorCodes.NotFound, c)); // default RateLimits:JoinsPerMinute 20
        Assert.Equal(ErrorCodes.RateLimited, codes[20]);

        // The budget is the account's: another account is not affected, and a real join by it works.
        var owner = await TestUser.CreateAsync(f, "owner");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("Scanned net", JoinPolicy: JoinPolicy.Open));
        var limited = await Assert.ThrowsAsync<HamachiApiException>(() => scanner.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId)));
        Assert.Equal((429, ErrorCodes.RateLimited), (limited.Status, limited.Code));
        var other = await TestUser.CreateAsync(f, "other");
        await other.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        Assert.DoesNotContain(await owner.Client.ListMembersAsync(net.Id), m => m.UserId == scanner.Id);
    }

    [SkippableFact]
    public async Task Concurrent_joins_never_exceed_the_member_limit()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("Race net", JoinPolicy: JoinPolicy.Open));
        var users = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => TestUser.CreateAsync(f, $"racer{i}")));

        var outcomes = await Task.WhenAll(users.Select(async u =>
        {
            try
            {
                await u.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
                return "joined";
            }
            catch (HamachiApiException e)
            {
                return e.Code;
            }
        }));

        Assert.Equal(4, outcomes.Count(o => o == "joined"));
        Assert.All(outcomes.Where(o => o != "joined"), o => Assert.Equal(ErrorCodes.PlanRequired, o));
        Assert.Equal(5, (await owner.Client.GetNetworkAsync(net.Id)).MemberCount);
    }

    [SkippableFact]
    public async Task Only_the_owner_deletes_a_network()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var admin = await TestUser.CreateAsync(f, "admin");
        var outsider = await TestUser.CreateAsync(f, "outsider");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("Delete me", NetworkType.HubAndSpoke, JoinPolicy: JoinPolicy.Open));
        await admin.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await owner.Client.SetMemberRoleAsync(net.Id, admin.Id, new SetRoleRequest(MemberRole.Admin));

        var byAdmin = await Assert.ThrowsAsync<HamachiApiException>(() => admin.Client.DeleteNetworkAsync(net.Id));
        Assert.Equal((403, ErrorCodes.NotOwner), (byAdmin.Status, byAdmin.Code));
        var byOutsider = await Assert.ThrowsAsync<HamachiApiException>(() => outsider.Client.DeleteNetworkAsync(net.Id));
        Assert.Equal(404, byOutsider.Status);

        // Admins manage: rename and hub role; the owner cannot leave.
        Assert.Equal("Renamed", (await admin.Client.UpdateNetworkAsync(net.Id, new UpdateNetworkRequest(Name: "Renamed"))).Name);
        Assert.Equal(HubRole.Hub, (await admin.Client.SetHubRoleAsync(net.Id, admin.Id, new SetHubRoleRequest(HubRole.Hub))).HubRole);
        Assert.Equal(ErrorCodes.OwnerCannotLeave, (await Assert.ThrowsAsync<HamachiApiException>(() => owner.Client.LeaveNetworkAsync(net.Id))).Code);

        await owner.Client.DeleteNetworkAsync(net.Id);
        Assert.Empty(await admin.Client.ListNetworksAsync());
        Assert.Equal(404, (await Assert.ThrowsAsync<HamachiApiException>(() => owner.Client.GetNetworkAsync(net.Id))).Status);
    }

    [SkippableFact]
    public async Task Members_leave_and_set_their_nickname()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var guest = await TestUser.CreateAsync(f, "guest");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("Nick net", JoinPolicy: JoinPolicy.Open));
        await guest.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));

        Assert.Equal("Gamer", (await guest.Client.SetNicknameAsync(net.Id, new SetNicknameRequest("Gamer"))).Nickname);
        Assert.Contains(await owner.Client.ListMembersAsync(net.Id), m => m.Nickname == "Gamer");

        await guest.Client.LeaveNetworkAsync(net.Id);
        Assert.Empty(await guest.Client.ListNetworksAsync());
        Assert.Equal(1, (await owner.Client.GetNetworkAsync(net.Id)).MemberCount);
    }
}

public sealed class SqliteNetworkApiTests(SqliteWorld world) : NetworkApiTests(world), IClassFixture<SqliteWorld>;

public sealed class PostgresNetworkApiTests(PostgresWorld world) : NetworkApiTests(world), IClassFixture<PostgresWorld>;
