using HamachiCloud.Api.Contracts.Live;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Networks;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace HamachiCloud.Api.Tests;

/// <summary>The Portal's live hub over a real SignalR .NET client: who may watch, and what is pushed when.</summary>
public abstract class PortalLiveTests(ApiWorld world)
{
    [SkippableFact]
    public async Task A_watcher_sees_an_agent_come_online_with_its_os_version_and_nat_type_and_go_offline()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("live", JoinPolicy: JoinPolicy.Open));
        await using var watcher = await PortalWatcher.ConnectAsync(f, owner.Tokens.AccessToken);
        var first = await watcher.WatchAsync(net.Id);
        Assert.Equal(net.Id, first.NetworkId);
        Assert.Equal([owner.Id], first.Members.Select(m => m.UserId));
        Assert.Equal((0, 0), (first.OnlineCount, first.PendingCount));

        await using var agent = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "laptop");
        await agent.ConnectAndLoginAsync(f);
        var (online, took) = await watcher.WaitForAsync(net.Id, u => u.Members.Single().Devices is [{ Online: true }], "the device online");
        Assert.True(took < TimeSpan.FromSeconds(2), $"online pushed after {took}");
        var device = online.Members.Single().Devices!.Single();
        Assert.Equal((agent.DeviceId, "laptop", "TestOS 1.0", "test"), (device.DeviceId, device.Name, device.Os, device.AgentVersion));
        Assert.Equal(agent.Enrolment.VirtualIPv4, device.VirtualIPv4);
        Assert.Equal(1, online.OnlineCount);

        var nat = new NatReport("192.0.2.18:41641", false, false, false, false, false, "endpoint-dependent", "address-and-port-dependent");
        await agent.Connection.InvokeAsync(nameof(IAgentHub.ReportDiscovery), new DiscoveryReport([], 41641, nat));
        var (natUpdate, _) = await watcher.WaitForAsync(net.Id, u => u.Members.Single().Devices is [{ NatType: "symmetric" }], "the NAT type");
        var pushedNat = natUpdate.Members.Single().Devices!.Single().Nat;
        Assert.Equal(("192.0.2.18:41641", "endpoint-dependent", "address-and-port-dependent", false), (pushedNat?.MappedEndpoint, pushedNat?.Mapping, pushedNat?.Filtering, pushedNat?.UdpBlocked));
        var rest = (await owner.Client.ListMembersAsync(net.Id)).Single().Devices!.Single();
        Assert.Equal((true, "symmetric", "TestOS 1.0"), (rest.Online, rest.NatType, rest.Os)); // GET members has the same shape
        Assert.Equal(("endpoint-dependent", "address-and-port-dependent"), (rest.Nat?.Mapping, rest.Nat?.Filtering));
        Assert.Equal((1, 0), ((await owner.Client.GetNetworkAsync(net.Id)).OnlineCount, (await owner.Client.GetNetworkAsync(net.Id)).PendingCount));

        await agent.Connection.InvokeAsync(nameof(IAgentHub.Goodbye));
        var (offline, _) = await watcher.WaitForAsync(net.Id, u => u.Members.Single().Devices is [{ Online: false }], "the device offline");
        Assert.Equal(0, offline.OnlineCount);
    }

    [SkippableFact]
    public async Task Members_network_lists_get_the_online_count_when_a_device_comes_online_and_goes_offline()
    {
        var f = await world.GetAsync();
        var (owner, bob, eve) = (await TestUser.CreateAsync(f, "owner"), await TestUser.CreateAsync(f, "bob"), await TestUser.CreateAsync(f, "eve"));
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("counts", JoinPolicy: JoinPolicy.Open));
        await bob.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        var other = await eve.Client.CreateNetworkAsync(new CreateNetworkRequest("elsewhere"));
        // Network lists only: no network is watched.
        await using var bobList = await PortalWatcher.ConnectAsync(f, bob.Tokens.AccessToken);
        await using var eveList = await PortalWatcher.ConnectAsync(f, eve.Tokens.AccessToken);

        await using var agent = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "laptop");
        await agent.ConnectAndLoginAsync(f);
        var online = await bobList.WaitForCountsAsync(net.Id, c => c.OnlineCount == 1, "the count of bob's network");
        Assert.Equal(new NetworkCountsUpdate(net.Id, 2, 1), online);
        Assert.Equal(1, (await bob.Client.GetNetworkAsync(net.Id)).OnlineCount); // what GET says

        bobList.Clear();
        await agent.Connection.InvokeAsync(nameof(IAgentHub.Goodbye));
        var offline = await bobList.WaitForCountsAsync(net.Id, _ => true, "the count after goodbye");
        Assert.Equal(new NetworkCountsUpdate(net.Id, 2, 0), offline);
        Assert.DoesNotContain(eveList.Counts, c => c.NetworkId == net.Id); // not eve's network
        Assert.DoesNotContain(bobList.Counts, c => c.NetworkId == other.Id);
    }

    [SkippableFact]
    public async Task Only_members_may_watch_and_only_with_an_access_token()
    {
        var f = await world.GetAsync();
        var (owner, stranger) = (await TestUser.CreateAsync(f, "owner"), await TestUser.CreateAsync(f, "stranger"));
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("private", JoinPolicy: JoinPolicy.Approval));
        await using var outsider = await PortalWatcher.ConnectAsync(f, stranger.Tokens.AccessToken);
        var refused = await Assert.ThrowsAsync<HubException>(() => outsider.WatchAsync(net.Id));
        Assert.Contains(PortalHubContract.Forbidden, refused.Message, StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<HubException>(() => outsider.WatchAsync(Guid.NewGuid()));
        Assert.Contains(PortalHubContract.Forbidden, unknown.Message, StringComparison.Ordinal);

        await stranger.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId)); // pending is not a member yet
        await Assert.ThrowsAsync<HubException>(() => outsider.WatchAsync(net.Id));
        await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System);
        Assert.DoesNotContain(outsider.Updates, u => u.NetworkId == net.Id); // the refused watch joined no group

        await Assert.ThrowsAnyAsync<Exception>(() => PortalWatcher.ConnectAsync(f, accessToken: null));
        await Assert.ThrowsAnyAsync<Exception>(() => PortalWatcher.ConnectAsync(f, "not-a-token"));
        var pat = await owner.Client.CreateApiTokenAsync(new Contracts.Accounts.CreateApiTokenRequest("script", ["read"]));
        await Assert.ThrowsAnyAsync<Exception>(() => PortalWatcher.ConnectAsync(f, pat.Secret)); // personal tokens are not for the Portal's hub

        await using var browser = await PortalWatcher.ConnectAsync(f, owner.Tokens.AccessToken, tokenInQuery: true);
        Assert.Equal(net.Id, (await browser.WatchAsync(net.Id)).NetworkId);
        using var http = f.CreateClient();
        var queryOnApi = await http.GetAsync("/api/v1/networks?access_token=" + Uri.EscapeDataString(owner.Tokens.AccessToken));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, queryOnApi.StatusCode); // tokens in URLs only on the hub
    }

    [SkippableFact]
    public async Task Join_approval_role_and_eviction_are_pushed_to_each_view()
    {
        var f = await world.GetAsync();
        var (owner, bob) = (await TestUser.CreateAsync(f, "owner"), await TestUser.CreateAsync(f, "bob"));
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("approval", JoinPolicy: JoinPolicy.Approval));
        await using var ownerWatch = await PortalWatcher.ConnectAsync(f, owner.Tokens.AccessToken);
        await ownerWatch.WatchAsync(net.Id);

        await bob.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        var (pending, _) = await ownerWatch.WaitForAsync(net.Id, u => u.PendingCount == 1, "the pending join");
        Assert.Equal(MemberStatus.Pending, pending.Members.Single(m => m.UserId == bob.Id).Status);
        await ownerWatch.WaitForEventAsync("networks", "the owner's network list change");

        await owner.Client.ApproveMemberAsync(net.Id, bob.Id);
        await ownerWatch.WaitForAsync(net.Id, u => u.PendingCount == 0 && u.Members.Any(m => m.UserId == bob.Id && m.Status == MemberStatus.Active), "the approval");

        await using var bobWatch = await PortalWatcher.ConnectAsync(f, bob.Tokens.AccessToken);
        var bobView = await bobWatch.WatchAsync(net.Id);
        Assert.Null(bobView.PendingCount); // members do not see the queue
        await owner.Client.SetMemberRoleAsync(net.Id, bob.Id, new Contracts.Members.SetRoleRequest(MemberRole.Admin));
        await bobWatch.WaitForAsync(net.Id, u => u.PendingCount == 0 && u.Members.Single(m => m.UserId == bob.Id).Role == MemberRole.Admin, "the managers' view after promotion");
        await owner.Client.SetMemberRoleAsync(net.Id, bob.Id, new Contracts.Members.SetRoleRequest(MemberRole.Member));
        await bobWatch.WaitForAsync(net.Id, u => u.PendingCount is null && u.Members.Single(m => m.UserId == bob.Id).Role == MemberRole.Member, "the members' view after demotion");

        bobWatch.Clear();
        await owner.Client.EvictMemberAsync(net.Id, bob.Id);
        await ownerWatch.WaitForAsync(net.Id, u => u.Members.Any(m => m.UserId == bob.Id && m.Status == MemberStatus.Evicted), "the eviction");
        await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System);
        Assert.Empty(bobWatch.Updates); // an evicted member is out of the group before the push

        await owner.Client.DeleteNetworkAsync(net.Id);
        await ownerWatch.WaitForEventAsync("deleted:" + net.Id, "the deletion");
    }
}

public sealed class SqlitePortalLiveTests(SqliteWorld world) : PortalLiveTests(world), IClassFixture<SqliteWorld>;

public sealed class PostgresPortalLiveTests(PostgresWorld world) : PortalLiveTests(world), IClassFixture<PostgresWorld>;
