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

        var ok = await Advertise(gw, net.NetworkId, "198.18.77.0/24", "2001:db8:77::/64", "198.18.77.0/24");
        Assert.True(ok.Ok, ok.Error);
        Assert.Equal(net.NetworkId, ok.NetworkId);
        var routes = await owner.Client.ListRoutesAsync(net.Id);
        Assert.Equal(["198.18.77.0/24", "2001:db8:77::/64"], routes.Select(r => r.Prefix).Order(StringComparer.Ordinal));
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
            Assert.DoesNotContain("2001:db8:77::/64", member.Peer(gw)!.AllowedIps);
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
