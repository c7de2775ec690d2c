using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Members;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Contracts.SetupKeys;
using HamachiCloud.Protocol.Networks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>Setup keys with networks: who may list which network, and what enrolment with such a key does.</summary>
public abstract class SetupKeyNetworkTests(ApiWorld world)
{
    [SkippableFact]
    public async Task A_device_enrolled_with_a_key_takes_part_in_its_networks_only()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f, "fleet");
        var office = await user.Client.CreateNetworkAsync(new CreateNetworkRequest("office", JoinPolicy: JoinPolicy.Open));
        var lab = await user.Client.CreateNetworkAsync(new CreateNetworkRequest("lab", JoinPolicy: JoinPolicy.Open));
        var created = await user.Client.CreateSetupKeyAsync(new CreateSetupKeyRequest("office servers", Reusable: true, Networks: [office.Id, office.Id]));
        Assert.Equal([office.Id], created.SetupKey.Networks);
        Assert.Equal([office.Id], (await user.Client.ListSetupKeysAsync()).Single(k => k.Id == created.SetupKey.Id).Networks);

        var agent = await TestAgent.EnrolAsync(new HamachiClient(f.CreateClient()), "server-1", created.Key);

        var inOffice = (await user.Client.ListMembersAsync(office.Id)).Single(m => m.UserId == user.Id);
        Assert.Equal(MemberStatus.Active, inOffice.Status);
        Assert.Contains(agent.DeviceId, inOffice.Devices!.Select(d => d.DeviceId));
        // In the account's other network the device starts offline (go-offline for this device only).
        Assert.Equal([(lab.Id, false)], await StatesAsync(f, agent.DeviceId));

        // A key without networks keeps the old meaning: every network of the account.
        var plain = await TestAgent.EnrolWithSetupKeyAsync(f, user, "laptop");
        Assert.Empty(await StatesAsync(f, plain.DeviceId));

        // Deleting a network takes it off the key.
        await user.Client.DeleteNetworkAsync(office.Id);
        Assert.Empty((await user.Client.ListSetupKeysAsync()).Single(k => k.Id == created.SetupKey.Id).Networks!);
    }

    private static async Task<List<(Guid, bool)>> StatesAsync(ApiFactory f, Guid deviceId)
    {
        await using var scope = f.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>();
        return (await db.DeviceNetworkStates.Where(s => s.DeviceId == deviceId).ToListAsync()).Select(s => (s.NetworkId, s.Online)).ToList();
    }

    [SkippableFact]
    public async Task A_network_the_creator_does_not_manage_is_refused_on_the_networks_field()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var member = await TestUser.CreateAsync(f, "member");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("not yours", JoinPolicy: JoinPolicy.Open));
        await member.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));

        foreach (var networks in new[] { new[] { net.Id }, [Guid.NewGuid()] })
        {
            var refused = await Assert.ThrowsAsync<HamachiApiException>(() =>
                member.Client.CreateSetupKeyAsync(new CreateSetupKeyRequest("sneaky", Networks: networks)));
            Assert.Equal((400, ErrorCodes.ValidationFailed), (refused.Status, refused.Code));
            Assert.True(refused.Problem.Errors!.ContainsKey("networks"), string.Join(",", refused.Problem.Errors.Keys));
        }

        Assert.Empty(await member.Client.ListSetupKeysAsync()); // nothing half-created

        await owner.Client.SetMemberRoleAsync(net.Id, member.Id, new SetRoleRequest(MemberRole.Admin));
        var allowed = await member.Client.CreateSetupKeyAsync(new CreateSetupKeyRequest("as admin", Networks: [net.Id]));
        Assert.Equal([net.Id], allowed.SetupKey.Networks);
    }

    [SkippableFact]
    public async Task A_network_the_account_was_evicted_from_since_is_skipped_and_enrolment_succeeds()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var admin = await TestUser.CreateAsync(f, "admin");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("shared", JoinPolicy: JoinPolicy.Open));
        await admin.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await owner.Client.SetMemberRoleAsync(net.Id, admin.Id, new SetRoleRequest(MemberRole.Admin));
        var key = await admin.Client.CreateSetupKeyAsync(new CreateSetupKeyRequest("admin's key", Networks: [net.Id]));
        await owner.Client.EvictMemberAsync(net.Id, admin.Id);

        var agent = await TestAgent.EnrolAsync(new HamachiClient(f.CreateClient()), "box", key.Key);

        Assert.Contains(agent.DeviceId, (await admin.Client.ListDevicesAsync()).Select(d => d.Id));
        var row = (await owner.Client.ListMembersAsync(net.Id)).Single(m => m.UserId == admin.Id);
        Assert.Equal(MemberStatus.Evicted, row.Status); // not re-joined behind the owner's back
        await using var scope = f.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "setup_key.network_skipped" && e.TargetId == net.Id.ToString()));
    }

    [SkippableFact]
    public async Task An_expired_key_is_refused_with_invalid_setup_key_and_creates_nothing()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        var net = await user.Client.CreateNetworkAsync(new CreateNetworkRequest("expiring", JoinPolicy: JoinPolicy.Open));
        var key = await user.Client.CreateSetupKeyAsync(new CreateSetupKeyRequest("short-lived", Networks: [net.Id]));
        await using (var scope = f.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>();
            var stored = await db.SetupKeys.SingleAsync(k => k.Id == key.SetupKey.Id);
            stored.ExpiresAt = stored.CreatedAt.AddHours(-1);
            await db.SaveChangesAsync();
        }

        var refused = await Assert.ThrowsAsync<HamachiApiException>(() =>
            TestAgent.EnrolAsync(new HamachiClient(f.CreateClient()), "late", key.Key));
        Assert.Equal((401, ErrorCodes.InvalidSetupKey), (refused.Status, refused.Code));
        Assert.Contains("expired", refused.Problem.Detail, StringComparison.Ordinal);
        Assert.Empty(await user.Client.ListDevicesAsync());
        Assert.Equal(0, (await user.Client.ListSetupKeysAsync()).Single().UsageCount);
    }
}

public sealed class SqliteSetupKeyNetworkTests(SqliteWorld world) : SetupKeyNetworkTests(world), IClassFixture<SqliteWorld>;

public sealed class PostgresSetupKeyNetworkTests(PostgresWorld world) : SetupKeyNetworkTests(world), IClassFixture<PostgresWorld>;
