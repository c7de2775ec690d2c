using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Members;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Contracts.Plans;
using HamachiCloud.Data.Entities;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Networks;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Plans end to end through the Api: staff grants (reason, staff only, audit), the 402 <c>plan_required</c> refusals
/// over REST and the agents' hub, and downgrades that set members aside without deleting anything.
/// </summary>
public abstract class PlanTests(ApiWorld world)
{
    [SkippableFact]
    public async Task A_plan_change_tells_the_networks_agents_to_fetch_new_relay_tokens_and_no_other_agent()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var member = await TestUser.CreateAsync(f, "member");
        var outsider = await TestUser.CreateAsync(f, "outsider");
        var staff = await TestUser.CreateStaffAsync(f);
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("relayed", JoinPolicy: JoinPolicy.Open));
        await member.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await outsider.Client.CreateNetworkAsync(new CreateNetworkRequest("elsewhere", JoinPolicy: JoinPolicy.Open));
        await using var inside = await TestAgent.EnrolAsync(member.Client, "inside");
        await inside.ConnectAndLoginAsync(f);
        await using var outside = await TestAgent.EnrolAsync(outsider.Client, "outside");
        await outside.ConnectAndLoginAsync(f);

        var grant = await staff.Client.GrantPlanAsync(new GrantPlanRequest(Plan.PremiumId, "relay test", 30, NetworkId: net.Id));
        await inside.WaitUntilAsync(a => a.Received.Count(k => k == "relay-tokens") == 1, "relay tokens changed (upgrade)");
        await staff.Client.EndGrantAsync(grant.Id, new ChangeGrantRequest("relay test over"));
        await inside.WaitUntilAsync(a => a.Received.Count(k => k == "relay-tokens") == 2, "relay tokens changed (downgrade)");
        Assert.DoesNotContain("relay-tokens", outside.Received);
    }

    [SkippableFact]
    public async Task Grants_need_staff_and_a_reason_change_the_plan_at_once_and_are_audited()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var staff = await TestUser.CreateStaffAsync(f);
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("shop", JoinPolicy: JoinPolicy.Open));
        Assert.Equal("Free", net.Plan);

        var notStaff = await Assert.ThrowsAsync<HamachiApiException>(() =>
            owner.Client.GrantPlanAsync(new GrantPlanRequest(Plan.PremiumId, "I want it", 30, NetworkId: net.Id)));
        Assert.Equal((403, ErrorCodes.Forbidden), (notStaff.Status, notStaff.Code));
        Assert.Equal(403, (await Assert.ThrowsAsync<HamachiApiException>(() => owner.Client.ListGrantsAsync())).Status);

        foreach (var reason in new[] { "", "   ", null! })
        {
            var noReason = await Assert.ThrowsAsync<HamachiApiException>(() =>
                staff.Client.GrantPlanAsync(new GrantPlanRequest(Plan.PremiumId, reason, 30, NetworkId: net.Id)));
            Assert.Equal((400, ErrorCodes.ValidationFailed), (noReason.Status, noReason.Code));
            Assert.True(noReason.Problem.Errors!.ContainsKey("reason"));
        }

        var bad = await Assert.ThrowsAsync<HamachiApiException>(() =>
            staff.Client.GrantPlanAsync(new GrantPlanRequest(Plan.MultiNetworkId, "wrong target", 0, NetworkId: net.Id)));
        Assert.Equal(400, bad.Status);
        Assert.True(bad.Problem.Errors!.ContainsKey("days"));
        Assert.True(bad.Problem.Errors.ContainsKey("planId"));
        Assert.Equal("Free", (await owner.Client.GetNetworkAsync(net.Id)).Plan); // nothing was granted

        var grant = await staff.Client.GrantPlanAsync(new GrantPlanRequest(Plan.PremiumId, "refund for outage #12", 30, NetworkId: net.Id));
        Assert.Equal((owner.Id, net.Id, "Premium", true, staff.Id), (grant.UserId, grant.NetworkId, grant.PlanName, grant.Active, grant.GrantedById));
        Assert.Equal((256, "Premium"), ((await owner.Client.GetNetworkAsync(net.Id)).MemberLimit, (await owner.Client.GetNetworkAsync(net.Id)).Plan));

        var noReasonExtend = await Assert.ThrowsAsync<HamachiApiException>(() => staff.Client.ExtendGrantAsync(grant.Id, new ChangeGrantRequest("", 10)));
        Assert.Equal(400, noReasonExtend.Status);
        var extended = await staff.Client.ExtendGrantAsync(grant.Id, new ChangeGrantRequest("goodwill", 10));
        Assert.Equal(grant.EndsAt!.Value.AddDays(10), extended.EndsAt);
        Assert.Equal(403, (await Assert.ThrowsAsync<HamachiApiException>(() => owner.Client.EndGrantAsync(grant.Id, new ChangeGrantRequest("mine")))).Status);
        Assert.Equal(400, (await Assert.ThrowsAsync<HamachiApiException>(() => staff.Client.EndGrantAsync(grant.Id, new ChangeGrantRequest(" ")))).Status);
        Assert.Equal("Premium", (await owner.Client.GetNetworkAsync(net.Id)).Plan);

        var ended = await staff.Client.EndGrantAsync(grant.Id, new ChangeGrantRequest("customer asked to stop"));
        Assert.False(ended.Active);
        Assert.Equal((5, "Free"), ((await owner.Client.GetNetworkAsync(net.Id)).MemberLimit, (await owner.Client.GetNetworkAsync(net.Id)).Plan));
        Assert.Single(await staff.Client.ListGrantsAsync(owner.Id)); // never deleted

        await using var scope = f.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>();
        var events = db.AuditEvents.Where(e => e.TargetId == net.Id.ToString() && e.Action.StartsWith("plan.")).OrderBy(e => e.Id).ToList();
        Assert.Equal(["plan.granted", "plan.grant_extended", "plan.grant_ended"], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(staff.Id, e.ActorUserId));
        Assert.Contains("refund for outage #12", events[0].Details, StringComparison.Ordinal);
        Assert.Contains("goodwill", events[1].Details, StringComparison.Ordinal);
        Assert.Contains("customer asked to stop", events[2].Details, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_account_wide_grant_covers_every_network_of_the_account_even_new_ones()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var staff = await TestUser.CreateStaffAsync(f);
        var first = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("one", JoinPolicy: JoinPolicy.Open));
        var toNetwork = await Assert.ThrowsAsync<HamachiApiException>(() =>
            staff.Client.GrantPlanAsync(new GrantPlanRequest(Plan.PremiumId, "per network plan to an account", 30, UserId: owner.Id)));
        Assert.True(toNetwork.Problem.Errors!.ContainsKey("planId"));

        await staff.Client.GrantPlanAsync(new GrantPlanRequest(Plan.MultiNetworkId, "partner programme", 30, UserId: owner.Id));
        Assert.Equal("Multi-network", (await owner.Client.GetNetworkAsync(first.Id)).Plan);
        var gateway = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("office", NetworkType.Gateway, JoinPolicy: JoinPolicy.Open));
        Assert.Equal((NetworkType.Gateway, "Multi-network", 256), (gateway.Type, gateway.Plan, gateway.MemberLimit));
    }

    [SkippableFact]
    public async Task A_free_network_cannot_become_a_gateway_through_the_api_or_the_hub_and_premium_allows_it()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var created = await Assert.ThrowsAsync<HamachiApiException>(() =>
            owner.Client.CreateNetworkAsync(new CreateNetworkRequest("office", NetworkType.Gateway, JoinPolicy: JoinPolicy.Open)));
        AssertPlanRequired(created, "Premium");
        Assert.Empty(await owner.Client.ListNetworksAsync());

        await using var agent = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "laptop");
        await agent.ConnectAndLoginAsync(f);
        var overHub = await agent.Connection.InvokeAsync<CommandResult>(nameof(IAgentHub.CreateNetwork), "office", NetworkType.Gateway, (string?)null);
        Assert.Equal((false, ErrorCodes.PlanRequired), (overHub.Ok, overHub.ErrorCode));
        Assert.Contains("needs the Premium plan", overHub.Error, StringComparison.Ordinal);
        Assert.Empty(await owner.Client.ListNetworksAsync());

        var mesh = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("office", JoinPolicy: JoinPolicy.Open));
        var switched = await Assert.ThrowsAsync<HamachiApiException>(() =>
            owner.Client.UpdateNetworkAsync(mesh.Id, new UpdateNetworkRequest(Type: NetworkType.Gateway)));
        AssertPlanRequired(switched, "Premium");
        Assert.Equal(NetworkType.Mesh, (await owner.Client.GetNetworkAsync(mesh.Id)).Type);
        var meshInHub = await agent.Connection.InvokeAsync<CommandResult>(nameof(IAgentHub.CreateNetwork), "fine", NetworkType.HubAndSpoke, (string?)null);
        Assert.True(meshInHub.Ok, meshInHub.Error);

        await TestPlans.GrantAsync(f, mesh.Id);
        Assert.Equal(NetworkType.Gateway, (await owner.Client.UpdateNetworkAsync(mesh.Id, new UpdateNetworkRequest(Type: NetworkType.Gateway))).Type);
    }

    [SkippableFact]
    public async Task The_sixth_member_is_refused_over_rest_and_the_hub_naming_standard_and_a_grant_lets_them_in()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("club", JoinPolicy: JoinPolicy.Open));
        for (var i = 2; i <= 5; i++)
        {
            await (await TestUser.CreateAsync(f, $"m{i}")).Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        }

        var sixth = await TestUser.CreateAsync(f, "m6");
        AssertPlanRequired(await Assert.ThrowsAsync<HamachiApiException>(() => sixth.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId))), "Standard");
        await using var agent = await TestAgent.EnrolWithSetupKeyAsync(f, sixth, "m6");
        await agent.ConnectAndLoginAsync(f);
        var overHub = await agent.Connection.InvokeAsync<CommandResult>(nameof(IAgentHub.JoinNetwork), net.NetworkId, (string?)null);
        Assert.Equal((false, ErrorCodes.PlanRequired), (overHub.Ok, overHub.ErrorCode));
        Assert.Contains("needs the Standard plan", overHub.Error, StringComparison.Ordinal);

        await TestPlans.GrantAsync(f, net.Id, Plan.StandardId);
        var joined = await agent.Connection.InvokeAsync<CommandResult>(nameof(IAgentHub.JoinNetwork), net.NetworkId, (string?)null);
        Assert.True(joined.Ok, joined.Error);
        Assert.Equal(6, (await owner.Client.GetNetworkAsync(net.Id)).MemberCount);
    }

    [SkippableFact]
    public async Task Gateway_routes_need_premium_and_stop_being_pushed_when_it_ends()
    {
        var f = await world.GetAsync();
        var (owner, bob) = (await TestUser.CreateAsync(f, "owner"), await TestUser.CreateAsync(f, "bob"));
        var staff = await TestUser.CreateStaffAsync(f);
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("office", JoinPolicy: JoinPolicy.Open));
        var grant = await TestPlans.GrantAsync(f, net.Id, staff: staff);
        await owner.Client.UpdateNetworkAsync(net.Id, new UpdateNetworkRequest(Type: NetworkType.Gateway));
        await bob.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await using var gw = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "gw");
        await using var m1 = await TestAgent.EnrolWithSetupKeyAsync(f, bob, "m1");
        await gw.ConnectAndLoginAsync(f);
        await m1.ConnectAndLoginAsync(f);

        Assert.True((await Advertise(gw, net.NetworkId, "198.18.77.0/24", "198.18.78.0/24")).Ok);
        var routes = await owner.Client.ListRoutesAsync(net.Id);
        await owner.Client.ApproveRouteAsync(net.Id, routes.Single(r => r.Prefix == "198.18.77.0/24").Id);
        await m1.WaitUntilAsync(x => x.Peer(gw)?.AllowedIps.Contains("198.18.77.0/24") == true, "the approved route", Busy);

        // The plan ends: the route is kept but no longer pushed; approving and advertising need Premium again.
        await staff.Client.EndGrantAsync(grant.Id, new ChangeGrantRequest("trial over"));
        await m1.WaitUntilAsync(x => x.Peer(gw) is { } p && !p.AllowedIps.Contains("198.18.77.0/24"), "the route withdrawn", Busy);
        Assert.Empty(m1.Map!.Networks.Single(n => n.Id == net.Id).Routes!);
        AssertPlanRequired(await Assert.ThrowsAsync<HamachiApiException>(() =>
            owner.Client.ApproveRouteAsync(net.Id, routes.Single(r => r.Prefix == "198.18.78.0/24").Id)), "Premium");
        var advertise = await Advertise(gw, net.NetworkId, "198.18.79.0/24");
        Assert.Equal((false, ErrorCodes.PlanRequired), (advertise.Ok, advertise.ErrorCode));
        Assert.Equal(2, (await owner.Client.ListRoutesAsync(net.Id)).Count); // nothing deleted

        // An upgrade restores the route as it was.
        await TestPlans.GrantAsync(f, net.Id, staff: staff);
        await m1.WaitUntilAsync(x => x.Peer(gw)?.AllowedIps.Contains("198.18.77.0/24") == true, "the route restored", Busy);
    }

    [SkippableFact]
    public async Task A_downgrade_to_free_keeps_the_owner_the_chosen_and_the_longest_standing_and_an_upgrade_restores_all()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var staff = await TestUser.CreateStaffAsync(f);
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("guild", JoinPolicy: JoinPolicy.Open));
        var grant = await TestPlans.GrantAsync(f, net.Id, staff: staff);
        var members = new List<TestUser>();
        for (var i = 1; i <= 7; i++)
        {
            var u = await TestUser.CreateAsync(f, $"m{i}");
            await u.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
            members.Add(u);
        }

        // While on Premium the owner marks the two newest members as the ones to keep.
        await owner.Client.SetActiveMembersAsync(net.Id, new SetActiveMembersRequest([members[5].Id, members[6].Id]));
        await using var stays = await TestAgent.EnrolWithSetupKeyAsync(f, members[0], "stays");
        await using var aside = await TestAgent.EnrolWithSetupKeyAsync(f, members[4], "aside");
        await using var own = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "own");
        foreach (var a in new[] { stays, aside, own })
        {
            await a.ConnectAndLoginAsync(f);
        }

        await own.WaitUntilAsync(x => x.Peer(aside) is not null && x.Peer(stays) is not null, "both peers", Busy);

        await staff.Client.EndGrantAsync(grant.Id, new ChangeGrantRequest("payment lapsed"));
        var list = await owner.Client.ListMembersAsync(net.Id);
        Assert.Equal(8, list.Count(m => m.Status == MemberStatus.Active)); // nothing deleted
        var staying = list.Where(m => !m.OverPlanLimit).Select(m => m.UserId).ToHashSet();
        Assert.Equal(new[] { owner.Id, members[5].Id, members[6].Id, members[0].Id, members[1].Id }.ToHashSet(), staying);
        Assert.Equal(new[] { members[2].Id, members[3].Id, members[4].Id }.ToHashSet(), list.Where(m => m.OverPlanLimit).Select(m => m.UserId).ToHashSet());
        Assert.True(list.Single(m => m.UserId == members[5].Id).KeepActive);

        // The set-aside member's tunnels go: it reaches no one, no one reaches it, and its map says why.
        await own.WaitUntilAsync(x => x.Peer(aside) is null, "the set-aside member gone from the owner's map", Busy);
        await aside.WaitUntilAsync(x => x.Map!.Peers.Count == 0 && x.Map.Networks.Single(n => n.Id == net.Id).OverPlanLimit, "its own map flagged", Busy);
        Assert.NotNull(own.Peer(stays));
        Assert.DoesNotContain(own.Map!.Networks.Single(n => n.Id == net.Id).Members, m => m.UserId == members[4].Id);

        // The owner chooses differently: exactly those stay (the owner always does); too many or a stranger is a 400.
        var tooMany = await Assert.ThrowsAsync<HamachiApiException>(() =>
            owner.Client.SetActiveMembersAsync(net.Id, new SetActiveMembersRequest([.. members.Take(5).Select(m => m.Id)])));
        Assert.Equal(400, tooMany.Status);
        Assert.True(tooMany.Problem.Errors!.ContainsKey("userIds"));
        var stranger = await Assert.ThrowsAsync<HamachiApiException>(() =>
            owner.Client.SetActiveMembersAsync(net.Id, new SetActiveMembersRequest([staff.Id])));
        Assert.True(stranger.Problem.Errors!.ContainsKey("userIds[0]"));
        var notOwner = await Assert.ThrowsAsync<HamachiApiException>(() =>
            members[0].Client.SetActiveMembersAsync(net.Id, new SetActiveMembersRequest([members[0].Id])));
        Assert.Equal((403, ErrorCodes.NotOwner), (notOwner.Status, notOwner.Code));

        var chosen = new[] { members[2].Id, members[3].Id, members[4].Id, members[6].Id };
        var after = await owner.Client.SetActiveMembersAsync(net.Id, new SetActiveMembersRequest(chosen));
        Assert.Equal(chosen.Append(owner.Id).ToHashSet(), after.Where(m => m.Status == MemberStatus.Active && !m.OverPlanLimit).Select(m => m.UserId).ToHashSet());
        await own.WaitUntilAsync(x => x.Peer(aside) is not null && x.Peer(stays) is null, "the owner's choice in the maps", Busy);

        // A sixth member cannot join while over the limit; an upgrade brings every member back, exactly.
        var newcomer = await TestUser.CreateAsync(f, "newcomer");
        AssertPlanRequired(await Assert.ThrowsAsync<HamachiApiException>(() => newcomer.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId))), "Standard");
        await TestPlans.GrantAsync(f, net.Id, Plan.StandardId, staff);
        Assert.All(await owner.Client.ListMembersAsync(net.Id), m => Assert.False(m.OverPlanLimit));
        await own.WaitUntilAsync(x => x.Peer(aside) is not null && x.Peer(stays) is not null, "everyone back", Busy);
        await stays.WaitUntilAsync(x => !x.Map!.Networks.Single(n => n.Id == net.Id).OverPlanLimit && x.Peer(own) is not null, "its tunnel back", Busy);
    }

    /// <summary>Waits for pushes generously: these tests check what arrives, not how fast (the lab tests time it).</summary>
    private static readonly TimeSpan Busy = TimeSpan.FromSeconds(30);

    private static void AssertPlanRequired(HamachiApiException e, string plan)
    {
        Assert.Equal((402, ErrorCodes.PlanRequired, plan), (e.Status, e.Code, e.Problem.Plan));
        Assert.Contains($"needs the {plan} plan", e.Problem.Detail, StringComparison.Ordinal);
    }

    private static Task<CommandResult> Advertise(TestAgent agent, string networkId, params string[] prefixes) =>
        agent.Connection.InvokeAsync<CommandResult>(nameof(IAgentHub.AdvertiseRoutes), networkId, prefixes);
}

public sealed class SqlitePlanTests(SqliteWorld world) : PlanTests(world), IClassFixture<SqliteWorld>;

public sealed class PostgresPlanTests(PostgresWorld world) : PlanTests(world), IClassFixture<PostgresWorld>;
