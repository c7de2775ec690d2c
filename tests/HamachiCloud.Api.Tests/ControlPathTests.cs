using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Jobs;
using HamachiCloud.Data;
using HamachiCloud.Data.Entities;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Networks;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>Agents report their paths over the hub; the Api keeps them in the database; members read them per network over REST.</summary>
public abstract class ControlPathTests(ApiWorld world)
{
    /// <summary>The stored path rows of one reporting device, by peer.</summary>
    internal static async Task<Dictionary<Guid, PeerPathRecord>> RowsAsync(ApiFactory f, Guid deviceId)
    {
        await using var scope = f.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
        return await db.PeerPaths.AsNoTracking().Where(p => p.DeviceId == deviceId).ToDictionaryAsync(p => p.PeerDeviceId);
    }

    /// <summary>Moves the device's rows back in time as if reported <paramref name="age"/> ago; returns the new time.</summary>
    private static async Task<DateTimeOffset> AgeAsync(ApiFactory f, Guid deviceId, TimeSpan age)
    {
        await using var scope = f.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
        var at = TimeProvider.System.GetUtcNow() - age;
        foreach (var row in await db.PeerPaths.Where(p => p.DeviceId == deviceId).ToListAsync())
        {
            row.ReportedAt = at;
        }

        await db.SaveChangesAsync();
        return at;
    }

    internal static async Task<(TestUser Owner, NetworkDto Network, TestAgent A, TestAgent B)> TwoAgentsAsync(ApiFactory f, string name)
    {
        var owner = await TestUser.CreateAsync(f, "owner");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest(name, JoinPolicy: JoinPolicy.Open));
        var a = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "a");
        var b = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "b");
        await a.ConnectAndLoginAsync(f);
        await b.ConnectAndLoginAsync(f);
        await a.WaitUntilAsync(x => x.Peer(b)?.Online == true, "b online");
        return (owner, net, a, b);
    }

    internal static PeerPathReport Direct(TestAgent from, TestAgent to, double rtt = 12.5) =>
        new(from.Peer(to)!.NodeKey, PathKinds.Direct, "198.51.100.2:41641", ["198.51.100.2:41641 srflx 2 answered", "198.18.0.2:41641 host 2 silent"], null, rtt);

    [SkippableFact]
    public async Task Path_reports_are_kept_per_device_pair_and_listed_for_members_only()
    {
        var f = await world.GetAsync();
        var (owner, bob) = (await TestUser.CreateAsync(f, "owner"), await TestUser.CreateAsync(f, "bob"));
        var outsider = await TestUser.CreateAsync(f, "outsider");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("paths", JoinPolicy: JoinPolicy.Open));
        await bob.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await using var a = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "a");
        await using var b = await TestAgent.EnrolWithSetupKeyAsync(f, bob, "b");
        await a.ConnectAndLoginAsync(f);
        await b.ConnectAndLoginAsync(f);
        await a.WaitUntilAsync(x => x.Peer(b)?.Online == true, "b online");
        await b.WaitUntilAsync(x => x.Peer(a)?.Online == true, "a online");

        await a.Connection.InvokeAsync(nameof(IAgentHub.ReportPaths), new PathReport(
        [
            new PeerPathReport(a.Peer(b)!.NodeKey, PathKinds.Direct, "198.51.100.2:41641", ["198.51.100.2:41641 srflx 2 answered", "198.18.0.2:41641 host 2 silent"], null, 12.5),
            new PeerPathReport(a.Peer(b)!.NodeKey[..10], PathKinds.Direct, null, [], null, 1), // not a key: dropped
            new PeerPathReport(Convert.ToBase64String(new byte[32]), PathKinds.Relay, null, [], null, 1), // nobody's key: dropped
            new PeerPathReport(a.Peer(b)!.NodeKey, "teleport", null, [], null, 1), // not a path kind: dropped
        ]));
        await b.Connection.InvokeAsync(nameof(IAgentHub.ReportPaths), new PathReport(
            [new PeerPathReport(b.Peer(a)!.NodeKey, PathKinds.Relay, "relay", ["203.0.113.9:51820 srflx 6 silent"], "no answer from 1 candidate(s)", 40, true)]));

        var paths = await owner.Client.ListNetworkPathsAsync(net.Id);
        Assert.Equal(2, paths.Count);
        var ab = paths.Single(p => p.DeviceId == a.DeviceId);
        Assert.Equal((b.DeviceId, "direct", "198.51.100.2:41641", 12.5), (ab.PeerDeviceId, ab.Path, ab.Endpoint, ab.RttMilliseconds!.Value));
        Assert.Equal(2, ab.CandidatesTried.Count);
        var ba = paths.Single(p => p.DeviceId == b.DeviceId);
        Assert.Equal(("relay", "no answer from 1 candidate(s)", true), (ba.Path, ba.WhyNotDirect, ba.RelayOverWebSocket));

        // A newer report replaces the older one.
        await a.Connection.InvokeAsync(nameof(IAgentHub.ReportPaths), new PathReport([new PeerPathReport(a.Peer(b)!.NodeKey, PathKinds.Relay, null, [], "direct path stopped answering", 30)]));
        Assert.Equal("relay", (await bob.Client.ListNetworkPathsAsync(net.Id)).Single(p => p.DeviceId == a.DeviceId).Path);

        var refused = await Assert.ThrowsAsync<HamachiApiException>(() => outsider.Client.ListNetworkPathsAsync(net.Id));
        Assert.Equal((404, ErrorCodes.NotFound), (refused.Status, refused.Code));

        // The rows are in the database, every field as reported.
        var row = (await RowsAsync(f, b.DeviceId))[a.DeviceId];
        Assert.Equal(("relay", "relay", "no answer from 1 candidate(s)", 40.0, true), (row.Path, row.Endpoint, row.WhyNotDirect, row.RttMilliseconds!.Value, row.RelayOverWebSocket));
        Assert.Equal(["203.0.113.9:51820 srflx 6 silent"], row.CandidatesTried);
    }

    [SkippableFact]
    public async Task A_report_replaces_the_devices_rows_and_rows_go_with_a_deleted_peer()
    {
        var f = await world.GetAsync();
        var (owner, net, a, b) = await TwoAgentsAsync(f, "replace");
        await using var _a = a;
        await using var _b = b;
        await using var c = await TestAgent.EnrolWithSetupKeyAsync(f, owner, "c");
        await c.ConnectAndLoginAsync(f);
        await a.WaitUntilAsync(x => x.Peer(c)?.Online == true, "c online");

        await a.Connection.InvokeAsync(nameof(IAgentHub.ReportPaths), new PathReport([Direct(a, b), Direct(a, c)]));
        Assert.Equal([b.DeviceId, c.DeviceId], (await RowsAsync(f, a.DeviceId)).Keys.Order());
        await c.Connection.InvokeAsync(nameof(IAgentHub.ReportPaths), new PathReport([Direct(c, a)]));

        // Deleting c deletes what a said about c and what c said (cascade).
        await owner.Client.DeleteDeviceAsync(c.DeviceId);
        Assert.Equal([b.DeviceId], (await RowsAsync(f, a.DeviceId)).Keys);
        Assert.Empty(await RowsAsync(f, c.DeviceId));
        Assert.Equal([(a.DeviceId, b.DeviceId)], (await owner.Client.ListNetworkPathsAsync(net.Id)).Select(p => (p.DeviceId, p.PeerDeviceId)));

        // A peer left out of the next report is gone; an empty report clears the device's rows.
        await a.Connection.InvokeAsync(nameof(IAgentHub.ReportPaths), new PathReport([new PeerPathReport(a.Peer(b)!.NodeKey, PathKinds.None, null, [], "no candidates", null)]));
        Assert.Equal(("none", "no candidates"), (await RowsAsync(f, a.DeviceId)).Values.Select(r => (r.Path, r.WhyNotDirect)).Single());
        await a.Connection.InvokeAsync(nameof(IAgentHub.ReportPaths), new PathReport([]));
        Assert.Empty(await RowsAsync(f, a.DeviceId));
    }

    [SkippableFact]
    public async Task An_identical_repeat_is_not_written_again_and_stale_reports_are_not_listed_then_pruned()
    {
        var f = await world.GetAsync();
        var (owner, net, a, b) = await TwoAgentsAsync(f, "stale");
        await using var _a = a;
        await using var _b = b;

        await a.Connection.InvokeAsync(nameof(IAgentHub.ReportPaths), new PathReport([Direct(a, b)]));
        var first = (await RowsAsync(f, a.DeviceId))[b.DeviceId].ReportedAt;
        await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        await a.Connection.InvokeAsync(nameof(IAgentHub.ReportPaths), new PathReport([Direct(a, b)]));
        Assert.Equal(first, (await RowsAsync(f, a.DeviceId))[b.DeviceId].ReportedAt); // identical within 30 s: not rewritten
        await a.Connection.InvokeAsync(nameof(IAgentHub.ReportPaths), new PathReport([Direct(a, b, rtt: 13)]));
        var changed = (await RowsAsync(f, a.DeviceId))[b.DeviceId];
        Assert.Equal(13, changed.RttMilliseconds);
        Assert.True(changed.ReportedAt > first, $"{changed.ReportedAt:O} > {first:O}");

        // Identical but the stored row is older than 30 s: written again (the agents' minute refresh).
        var aged = await AgeAsync(f, a.DeviceId, TimeSpan.FromSeconds(40));
        await a.Connection.InvokeAsync(nameof(IAgentHub.ReportPaths), new PathReport([Direct(a, b, rtt: 13)]));
        Assert.True((await RowsAsync(f, a.DeviceId))[b.DeviceId].ReportedAt > aged);

        // Older than 3 minutes: left out of the listing, then deleted by the maintenance job.
        await AgeAsync(f, a.DeviceId, TimeSpan.FromMinutes(3.5));
        Assert.Empty(await owner.Client.ListNetworkPathsAsync(net.Id));
        Assert.Single(await RowsAsync(f, a.DeviceId));
        await using (var scope = f.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<MaintenanceJobs>().PrunePathReportsAsync(CancellationToken.None);
        }

        Assert.Empty(await RowsAsync(f, a.DeviceId));
    }
}

/// <summary>Path reports are in the database: an Api restart on the same database still lists them.</summary>
public sealed class PathReportRestartTests
{
    [SkippableFact]
    public async Task A_path_report_survives_an_api_restart()
    {
        var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        var (owner, net, a, b) = await ControlPathTests.TwoAgentsAsync(f, "restart");
        await a.Connection.InvokeAsync(nameof(IAgentHub.ReportPaths), new PathReport([ControlPathTests.Direct(a, b)]));
        Assert.Single(await owner.Client.ListNetworkPathsAsync(net.Id));
        await a.DisposeAsync();
        await b.DisposeAsync();

        await using var restarted = f.CreateSuccessor();
        await f.DisposeAsync();
        var client = new HamachiClient(restarted.CreateClient());
        client.UseAccessToken(owner.Tokens.AccessToken);
        var path = Assert.Single(await client.ListNetworkPathsAsync(net.Id));
        Assert.Equal((a.DeviceId, b.DeviceId, "direct", "198.51.100.2:41641", 2), (path.DeviceId, path.PeerDeviceId, path.Path, path.Endpoint, path.CandidatesTried.Count));
    }
}

public sealed class SqliteControlPathTests(SqliteWorld world) : ControlPathTests(world), IClassFixture<SqliteWorld>;

public sealed class PostgresControlPathTests(PostgresWorld world) : ControlPathTests(world), IClassFixture<PostgresWorld>;
