using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Contracts.Routes;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Networks;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Gateway routes over real sessions: the gateway advertises over the hub, managers approve over
/// REST, and the approved prefix reaches exactly the gateway network's members through their maps.
/// </summary>
public abstract class GatewayRouteTests(ApiWorld world)
{
    protected abstract DatabaseProvider Provider { get; }

    [SkippableFact]
    public async Task Advertised_prefixes_wait_for_approval_then_reach_the_members_of_that_gateway_network_only()
    {
        var f = await world.GetAsync();
        var (owner, bob, carol, dave) = (await TestUser.CreateAsync(f, "owner"), await TestUser.CreateAsync(f, "bob"), await TestUser.CreateAsync(f, "carol"),
            await TestUser.CreateAsync(f, "dave"));
        var net = await TestPlans.CreateGatewayNetworkAsync(f, owner, "office");
        var mesh = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("friends", JoinPolicy: JoinPolicy.Open));
        await bob.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await carol.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await dave.Client.JoinNetworkAsync(new JoinNetworkRequest(mesh.NetworkId));
        await using var gw = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "gw");
        await using var m1 = await TestAgent.EnrolWithSetupKeyAsync(f, bob, "m1");
        await using var m2 = await TestAgent.EnrolWithSetupKeyAsync(f, carol, "m2");
        await using var d = await TestAgent.EnrolWithSetupKeyAsync(f, dave, "d");
        foreach (var agent in new[] { gw, m1, m2, d })
        {
            await agent.ConnectAndLoginAsync(f);
        }

        // A member that is no gateway may not advertise; nor may anyone in a mesh network.
        var spoke = await Advertise(m1, net.NetworkId, "198.18.77.0/24");
        Assert.Equal((false, ErrorCodes.NotGateway), (spoke.Ok, spoke.ErrorCode));
        var inMesh = await Advertise(gw, mesh.NetworkId, "198.18.77.0/24");
        Assert.Equal((false, ErrorCodes.NotGatewayNetwork), (inMesh.Ok, inMesh.ErrorCode));

        var ok = await Advertise(gw, net.NetworkId, "198.18.77.0/24", "fd00:77::/64", "198.18.77.0/24");
        Assert.True(ok.Ok, ok.Error);
        Assert.Equal(net.NetworkId, ok.NetworkId);
        var routes = await owner.Client.ListRoutesAsync(net.Id);
        Assert.Equal(["198.18.77.0/24", "fd00:77::/64"], routes.Select(r => r.Prefix).Order(StringComparer.Ordinal));
        Assert.All(routes, r => Assert.Equal((RouteStatus.Pending, gw.DeviceId, "gw"), (r.Status, r.DeviceId, r.DeviceName)));
        Assert.Empty(await bob.Client.ListRoutesAsync(net.Id)); // members see approved routes only
        Assert.Equal(404, (await Assert.ThrowsAsync<HamachiApiException>(() => dave.Client.ListRoutesAsync(net.Id))).Status);
        await gw.WaitUntilAsync(x => x.Map!.Networks.Single(n => n.Id == net.Id).Routes?.Count == 2, "its pending routes");
        Assert.Equal([$"{gw.Enrolment.VirtualIPv4}/32", $"{gw.Enrolment.VirtualIPv6}/128"], m1.Peer(gw)!.AllowedIps);

        // Only managers decide; unknown routes are 404.
        var v4 = routes.Single(r => r.Prefix == "198.18.77.0/24");
        var forbidden = await Assert.ThrowsAsync<HamachiApiException>(() => bob.Client.ApproveRouteAsync(net.Id, v4.Id));
        Assert.Equal((403, ErrorCodes.Forbidden), (forbidden.Status, forbidden.Code));
        Assert.Equal(404, (await Assert.ThrowsAsync<HamachiApiException>(() => owner.Client.ApproveRouteAsync(net.Id, Guid.NewGuid()))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<HamachiApiException>(() => owner.Client.ApproveRouteAsync(mesh.Id, v4.Id))).Status);

        var approved = await owner.Client.ApproveRouteAsync(net.Id, v4.Id);
        Assert.Equal((RouteStatus.Approved, owner.Id), (approved.Status, approved.DecidedBy));
        foreach (var member in new[] { m1, m2 })
        {
            await member.WaitUntilAsync(x => x.Peer(gw)?.AllowedIps.Contains("198.18.77.0/24") == true, "the approved prefix");
            Assert.DoesNotContain("fd00:77::/64", member.Peer(gw)!.AllowedIps);
            Assert.Equal([new RouteInfo("198.18.77.0/24", gw.DeviceId, RouteStatus.Approved)], member.Map!.Networks.Single().Routes!);
        }

        Assert.Equal(["198.18.77.0/24"], (await bob.Client.ListRoutesAsync(net.Id)).Select(r => r.Prefix));
        Assert.Equal([$"{gw.Enrolment.VirtualIPv4}/32", $"{gw.Enrolment.VirtualIPv6}/128"], d.Peer(gw)!.AllowedIps); // not a member of the gateway network
        Assert.All(gw.Map!.Peers, p => Assert.Equal(2, p.AllowedIps.Count));

        // The same prefix from another gateway device cannot be approved while this one is.
        await using var gw2 = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "gw2");
        await gw2.ConnectAndLoginAsync(f);
        Assert.True((await Advertise(gw2, net.NetworkId, "198.18.77.128/25")).Ok);
        var second = (await owner.Client.ListRoutesAsync(net.Id)).Single(r => r.DeviceId == gw2.DeviceId);
        var overlap = await Assert.ThrowsAsync<HamachiApiException>(() => owner.Client.ApproveRouteAsync(net.Id, second.Id));
        Assert.Equal((409, ErrorCodes.RouteOverlap), (overlap.Status, overlap.Code));

        // Rejecting withdraws it from the members; a re-advertised rejected prefix stays rejected.
        await owner.Client.RejectRouteAsync(net.Id, v4.Id);
        await m1.WaitUntilAsync(x => x.Peer(gw)?.AllowedIps.Count == 2, "the rejected prefix gone");
        Assert.True((await Advertise(gw, net.NetworkId, "198.18.77.0/24")).Ok);
        Assert.Equal(RouteStatus.Rejected, (await owner.Client.ListRoutesAsync(net.Id)).Single(r => r.Prefix == "198.18.77.0/24").Status);

        // Approve again, then the gateway withdraws everything.
        await owner.Client.ApproveRouteAsync(net.Id, v4.Id);
        await m1.WaitUntilAsync(x => x.Peer(gw)?.AllowedIps.Count == 3, "approved again");
        Assert.True((await Advertise(gw, net.NetworkId)).Ok);
        await m1.WaitUntilAsync(x => x.Peer(gw)?.AllowedIps.Count == 2, "withdrawn");
        Assert.DoesNotContain(await owner.Client.ListRoutesAsync(net.Id), r => r.DeviceId == gw.DeviceId);

        await using var scope = f.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>();
        var actions = db.AuditEvents.Where(e => e.TargetId == net.Id.ToString() && e.Action.StartsWith("route.")).Select(e => e.Action).ToList();
        Assert.Equal(2, actions.Count(a => a == "route.approved"));
        Assert.Contains("route.rejected", actions);
        Assert.Contains("route.advertised", actions);
    }

    [SkippableFact]
    public async Task Bad_prefixes_are_refused_with_the_field_and_nothing_is_stored()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var net = await TestPlans.CreateGatewayNetworkAsync(f, owner, "office");
        await using var gw = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "gw");
        await gw.ConnectAndLoginAsync(f);

        foreach (var bad in new[] { "198.18.77.5/24", "100.64.0.0/16", "0.0.0.0/0", "::/0", "lan", "fe80::/64" })
        {
            var result = await Advertise(gw, net.NetworkId, "198.18.1.0/24", bad);
            Assert.Equal((false, ErrorCodes.ValidationFailed), (result.Ok, result.ErrorCode));
            Assert.Contains("prefixes[1]", result.Error, StringComparison.Ordinal);
        }

        var tooMany = await Advertise(gw, net.NetworkId, [.. Enumerable.Range(1, NetworkLimits.MaxGatewayRoutes + 1).Select(i => $"198.18.{i}.0/24")]);
        Assert.Equal((false, ErrorCodes.ValidationFailed), (tooMany.Ok, tooMany.ErrorCode));
        var unknown = await Advertise(gw, "000-000-001", "198.18.1.0/24");
        Assert.Equal((false, ErrorCodes.NotFound), (unknown.Ok, unknown.ErrorCode));
        var malformedId = await Advertise(gw, "not-an-id", "198.18.1.0/24");
        Assert.Equal((false, ErrorCodes.ValidationFailed), (malformedId.Ok, malformedId.ErrorCode));
        Assert.Empty(await owner.Client.ListRoutesAsync(net.Id));
    }

    [SkippableFact]
    public async Task Public_prefixes_need_the_owners_permission_and_reach_only_the_devices_that_accept_them()
    {
        var f = await world.GetAsync();
        var (owner, bob, carol) = (await TestUser.CreateAsync(f, "owner"), await TestUser.CreateAsync(f, "bob"), await TestUser.CreateAsync(f, "carol"));
        var net = await TestPlans.CreateGatewayNetworkAsync(f, owner, "office");
        var mesh = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("friends", JoinPolicy: JoinPolicy.Open));
        await bob.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await carol.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await using var gw = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "gw");
        await using var m1 = await TestAgent.EnrolWithSetupKeyAsync(f, bob, "m1");
        await using var m2 = await TestAgent.EnrolWithSetupKeyAsync(f, carol, "m2");
        foreach (var agent in new[] { gw, m1, m2 })
        {
            await agent.ConnectAndLoginAsync(f);
        }

        // The capture prefixes are refused in a network that does not allow public routes, naming the field and why.
        Assert.False(net.AllowPublicRoutes);
        foreach (var capture in new[] { "8.8.8.0/24", "1.0.0.0/8", "32.0.0.0/3", "2000::/3", "203.0.113.0/24" })
        {
            var refused = await Advertise(gw, net.NetworkId, "198.18.1.0/24", capture);
            Assert.Equal((false, ErrorCodes.ValidationFailed), (refused.Ok, refused.ErrorCode));
            Assert.Contains("prefixes[1]", refused.Error, StringComparison.Ordinal);
            Assert.Contains("public prefix", refused.Error, StringComparison.Ordinal);
        }

        Assert.Empty(await owner.Client.ListRoutesAsync(net.Id));

        // Only the owner allows public routes (an admin may not), only on gateway networks; audited.
        await owner.Client.SetMemberRoleAsync(net.Id, bob.Id, new Contracts.Members.SetRoleRequest(MemberRole.Admin));
        var notOwner = await Assert.ThrowsAsync<HamachiApiException>(() => bob.Client.UpdateNetworkAsync(net.Id, new UpdateNetworkRequest(AllowPublicRoutes: true)));
        Assert.Equal((403, ErrorCodes.NotOwner), (notOwner.Status, notOwner.Code));
        var notGateway = await Assert.ThrowsAsync<HamachiApiException>(() => owner.Client.UpdateNetworkAsync(mesh.Id, new UpdateNetworkRequest(AllowPublicRoutes: true)));
        Assert.Equal((400, ErrorCodes.ValidationFailed), (notGateway.Status, notGateway.Code));
        Assert.True(notGateway.Problem.Errors!.ContainsKey("allowPublicRoutes"), notGateway.Message);
        Assert.True((await owner.Client.UpdateNetworkAsync(net.Id, new UpdateNetworkRequest(AllowPublicRoutes: true))).AllowPublicRoutes);

        // Even then, the caps hold: no slice of the Internet wider than /16 (IPv4) or /32 (IPv6).
        foreach (var wide in new[] { "1.0.0.0/8", "32.0.0.0/3", "2000::/3" })
        {
            var refused = await Advertise(gw, net.NetworkId, wide);
            Assert.Equal((false, ErrorCodes.ValidationFailed), (refused.Ok, refused.ErrorCode));
            Assert.Contains("prefixes[0]", refused.Error, StringComparison.Ordinal);
            Assert.Contains("the widest public", refused.Error, StringComparison.Ordinal);
        }

        Assert.True((await Advertise(gw, net.NetworkId, "198.18.77.0/24", "203.0.113.0/24")).Ok);
        var routes = await owner.Client.ListRoutesAsync(net.Id);
        Assert.Equal([("198.18.77.0/24", false), ("203.0.113.0/24", true)], routes.Select(r => (r.Prefix, r.Public)).OrderBy(r => r.Prefix, StringComparer.Ordinal));
        foreach (var route in routes)
        {
            await owner.Client.ApproveRouteAsync(net.Id, route.Id);
        }

        // Neither member accepted: both get the private prefix only, and see the public one offered, marked public.
        foreach (var member in new[] { m1, m2 })
        {
            await member.WaitUntilAsync(x => x.Map?.Networks.Single().Routes?.Count == 2 && x.Peer(gw)?.AllowedIps.Contains("198.18.77.0/24") == true,
                "both approved routes listed and the private prefix routed");
            Assert.DoesNotContain("203.0.113.0/24", member.Peer(gw)!.AllowedIps);
            Assert.Contains(new RouteInfo("203.0.113.0/24", gw.DeviceId, RouteStatus.Approved, Public: true), member.Map!.Networks.Single().Routes!);
        }

        // Carol's device accepts over the hub (the agent's `hamachi set --accept-routes`): only her map carries it.
        var accept = await m2.Connection.InvokeAsync<CommandResult>(nameof(IAgentHub.SetAcceptRoutes), true);
        Assert.True(accept.Ok, accept.Error);
        await m2.WaitUntilAsync(x => x.Peer(gw)?.AllowedIps.Contains("203.0.113.0/24") == true, "the accepted public prefix");
        Assert.True(m2.Map!.AcceptPublicRoutes);
        Assert.True((await carol.Client.ListDevicesAsync()).Single().AcceptPublicRoutes);
        Assert.DoesNotContain("203.0.113.0/24", m1.Peer(gw)!.AllowedIps);

        // Bob accepts in the Portal (REST); a missing value is a 400 naming the field; nobody sets another account's device.
        var missing = await Assert.ThrowsAsync<HamachiApiException>(() => bob.Client.SetDeviceAcceptRoutesAsync(m1.DeviceId, new Contracts.Devices.SetAcceptRoutesRequest(null)));
        Assert.True(missing.Status == 400 && missing.Problem.Errors!.ContainsKey("accept"), missing.Message);
        Assert.Equal(404, (await Assert.ThrowsAsync<HamachiApiException>(() =>
            carol.Client.SetDeviceAcceptRoutesAsync(m1.DeviceId, new Contracts.Devices.SetAcceptRoutesRequest(true)))).Status);
        Assert.True((await bob.Client.SetDeviceAcceptRoutesAsync(m1.DeviceId, new Contracts.Devices.SetAcceptRoutesRequest(true))).AcceptPublicRoutes);
        await m1.WaitUntilAsync(x => x.Peer(gw)?.AllowedIps.Contains("203.0.113.0/24") == true, "the public prefix accepted in the Portal");

        // The owner stops allowing public routes: the approved public route is rejected and leaves every map.
        await owner.Client.UpdateNetworkAsync(net.Id, new UpdateNetworkRequest(AllowPublicRoutes: false));
        await m2.WaitUntilAsync(x => x.Peer(gw)?.AllowedIps.Contains("203.0.113.0/24") == false, "the public prefix withdrawn");
        await m1.WaitUntilAsync(x => x.Peer(gw)?.AllowedIps.Contains("203.0.113.0/24") == false, "the public prefix withdrawn");
        Assert.Contains("198.18.77.0/24", m2.Peer(gw)!.AllowedIps);
        Assert.Equal(RouteStatus.Rejected, (await owner.Client.ListRoutesAsync(net.Id)).Single(r => r.Prefix == "203.0.113.0/24").Status);
        var approveAgain = await Assert.ThrowsAsync<HamachiApiException>(() =>
            owner.Client.ApproveRouteAsync(net.Id, routes.Single(r => r.Prefix == "203.0.113.0/24").Id));
        Assert.Equal((400, ErrorCodes.ValidationFailed), (approveAgain.Status, approveAgain.Code));

        await using var scope = f.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>();
        var updates = db.AuditEvents.Where(e => e.TargetId == net.Id.ToString() && e.Action == "network.updated").Select(e => e.Details).ToList();
        Assert.Contains(updates, d => d!.Contains("allowPublicRoutes=True", StringComparison.Ordinal));
        Assert.Contains(updates, d => d!.Contains("allowPublicRoutes=False", StringComparison.Ordinal));
        Assert.Equal(2, db.AuditEvents.Count(e => e.Action == "device.routes-accepted"));
    }

    private static Task<CommandResult> Advertise(TestAgent agent, string networkId, params string[] prefixes) =>
        agent.Connection.InvokeAsync<CommandResult>(nameof(IAgentHub.AdvertiseRoutes), networkId, prefixes);
}

public sealed class SqliteGatewayRouteTests(SqliteWorld world) : GatewayRouteTests(world), IClassFixture<SqliteWorld>
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresGatewayRouteTests(PostgresWorld world) : GatewayRouteTests(world), IClassFixture<PostgresWorld>
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
