using System.Net;
using System.Security.Cryptography;
using HamachiCloud.Api.Bans;
using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Devices;
using HamachiCloud.Api.Contracts.SetupKeys;
using HamachiCloud.Api.Devices;
using HamachiCloud.Api.SetupKeys;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>Devices (enrolled through the service the control plane will use), setup keys and bans.</summary>
public abstract class DeviceAndKeyTests(ApiWorld world)
{
    [SkippableFact]
    public async Task Devices_get_stable_unique_addresses_and_can_be_renamed_and_deleted()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        var a = await EnrolAsync(f, user.Id, "laptop");
        var b = await EnrolAsync(f, user.Id, "desktop");

        var devices = await user.Client.ListDevicesAsync();
        Assert.Equal(["desktop", "laptop"], devices.Select(d => d.Name));
        foreach (var d in devices)
        {
            Assert.True(IPNetwork.Parse("100.64.0.0/10").Contains(IPAddress.Parse(d.VirtualIPv4)), d.VirtualIPv4);
            Assert.True(IPNetwork.Parse("fd48:616d:6163::/48").Contains(IPAddress.Parse(d.VirtualIPv6)), d.VirtualIPv6);
            Assert.Equal(IPAddress.Parse(d.VirtualIPv4).GetAddressBytes(), IPAddress.Parse(d.VirtualIPv6).GetAddressBytes()[12..]);
        }

        Assert.NotEqual(a.VirtualIPv4, b.VirtualIPv4);

        var renamed = await user.Client.RenameDeviceAsync(a.Id, new RenameDeviceRequest("work laptop"));
        Assert.Equal(("work laptop", a.VirtualIPv4.ToString()), (renamed.Name, renamed.VirtualIPv4));
        var tooLong = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.RenameDeviceAsync(a.Id, new RenameDeviceRequest(new string('d', 65))));
        Assert.Equal((400, ErrorCodes.ValidationFailed), (tooLong.Status, tooLong.Code));

        var other = await TestUser.CreateAsync(f);
        Assert.Equal(404, (await Assert.ThrowsAsync<HamachiApiException>(() => other.Client.DeleteDeviceAsync(a.Id))).Status);

        await user.Client.DeleteDeviceAsync(a.Id);
        Assert.Equal(b.Id, Assert.Single(await user.Client.ListDevicesAsync()).Id);
    }

    [SkippableFact]
    public async Task A_key_already_enrolled_is_refused()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        var a = await EnrolAsync(f, user.Id, "one");
        await using var scope = f.Services.CreateAsyncScope();
        var devices = scope.ServiceProvider.GetRequiredService<DeviceService>();
        var dup = await Assert.ThrowsAsync<Errors.ApiProblemException>(() =>
            devices.EnrolAsync(user.Id, "two", a.MachineKey, Hex(), TimeSpan.FromDays(180), CancellationToken.None));
        Assert.Equal(409, dup.Status);
        var bad = await Assert.ThrowsAsync<Errors.ApiProblemException>(() =>
            devices.EnrolAsync(user.Id, "three", "zz", Hex(), TimeSpan.FromDays(180), CancellationToken.None));
        Assert.Equal(400, bad.Status);
    }

    [SkippableFact]
    public async Task Setup_keys_are_shown_once_stored_hashed_and_honour_one_off_and_revocation()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        var oneOff = await user.Client.CreateSetupKeyAsync(new CreateSetupKeyRequest("rack 1"));
        var reusable = await user.Client.CreateSetupKeyAsync(new CreateSetupKeyRequest("fleet", Reusable: true, ExpiresInHours: 48));
        Assert.StartsWith("hc_key_", oneOff.Key, StringComparison.Ordinal);
        Assert.StartsWith(oneOff.SetupKey.Prefix, oneOff.Key, StringComparison.Ordinal);
        Assert.True(oneOff.SetupKey.Prefix.Length < oneOff.Key.Length);
        Assert.Equal(2, (await user.Client.ListSetupKeysAsync()).Count);

        var bad = await Assert.ThrowsAsync<HamachiApiException>(() => user.Client.CreateSetupKeyAsync(new CreateSetupKeyRequest("x", ExpiresInHours: 0)));
        Assert.Equal(400, bad.Status);

        Assert.NotNull(await ConsumeAsync(f, oneOff.Key));
        Assert.Null(await ConsumeAsync(f, oneOff.Key));
        Assert.NotNull(await ConsumeAsync(f, reusable.Key));
        Assert.NotNull(await ConsumeAsync(f, reusable.Key));
        Assert.Equal(2, (await user.Client.ListSetupKeysAsync()).Single(k => k.Id == reusable.SetupKey.Id).UsageCount);

        await user.Client.RevokeSetupKeyAsync(reusable.SetupKey.Id);
        Assert.Null(await ConsumeAsync(f, reusable.Key));
        Assert.Null(await ConsumeAsync(f, "hc_key_unknown"));
        Assert.NotNull((await user.Client.ListSetupKeysAsync()).Single(k => k.Id == reusable.SetupKey.Id).RevokedAt);
    }

    [SkippableFact]
    public async Task Twelve_parallel_enrolments_with_one_one_off_key_give_exactly_one_device()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        var key = await user.Client.CreateSetupKeyAsync(new CreateSetupKeyRequest("rack 2"));

        // All twelve requests wait on one gate, then race for the key.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, 12).Select(async i =>
        {
            await gate.Task;
            try
            {
                await TestAgent.EnrolAsync(new HamachiClient(f.CreateClient()), $"racer-{i}", key.Key);
                return 0;
            }
            catch (HamachiApiException e)
            {
                return e.Status;
            }
        }).ToList();
        gate.SetResult();
        var statuses = await Task.WhenAll(attempts);

        Assert.Equal(1, statuses.Count(s => s == 0));
        Assert.All(statuses.Where(s => s != 0), s => Assert.Equal(401, s));
        Assert.Single(await user.Client.ListDevicesAsync());
        Assert.Equal(1, (await user.Client.ListSetupKeysAsync()).Single(k => k.Id == key.SetupKey.Id).UsageCount);
    }

    [SkippableFact]
    public async Task A_refused_enrolment_does_not_use_up_a_one_off_key()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f);
        var key = await user.Client.CreateSetupKeyAsync(new CreateSetupKeyRequest("rack 3"));
        var first = await TestAgent.EnrolAsync(new HamachiClient(f.CreateClient()), "first", await NewKeyAsync(user));

        // The same machine key again: refused as a duplicate, and the one-off key stays unused.
        var duplicate = new Contracts.Enrolment.EnrolRequest("again", first.MachineKey.PublicKey.ToBase64(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), key.Key);
        var refused = await Assert.ThrowsAsync<HamachiApiException>(() => new HamachiClient(f.CreateClient()).EnrolAsync(duplicate));
        Assert.Equal(409, refused.Status);
        Assert.Equal(0, (await user.Client.ListSetupKeysAsync()).Single(k => k.Id == key.SetupKey.Id).UsageCount);

        await TestAgent.EnrolAsync(new HamachiClient(f.CreateClient()), "second", key.Key);
        Assert.Equal(1, (await user.Client.ListSetupKeysAsync()).Single(k => k.Id == key.SetupKey.Id).UsageCount);
    }

    private static async Task<string> NewKeyAsync(TestUser user) =>
        (await user.Client.CreateSetupKeyAsync(new CreateSetupKeyRequest("one more"))).Key;

    [SkippableFact]
    public async Task Bans_cover_their_range_only()
    {
        var f = await world.GetAsync();
        var staff = await TestUser.CreateStaffAsync(f);
        var ban = await staff.Client.CreateBanAsync(new("198.51.100.0/24", "abuse from this range"));
        var bans = f.Services.GetRequiredService<BanList>();
        Assert.NotNull(await bans.FindAsync(IPAddress.Parse("198.51.100.77"), null, null, HamachiCloud.Data.Entities.BanScope.All, CancellationToken.None));
        Assert.NotNull(await bans.FindAsync(IPAddress.Parse("198.51.100.77").MapToIPv6(), null, null, HamachiCloud.Data.Entities.BanScope.All, CancellationToken.None));
        Assert.Null(await bans.FindAsync(IPAddress.Parse("203.0.113.5"), null, null, HamachiCloud.Data.Entities.BanScope.All, CancellationToken.None));
        await staff.Client.DeleteBanAsync(ban.Id);
        Assert.Null(await bans.FindAsync(IPAddress.Parse("198.51.100.77"), null, null, HamachiCloud.Data.Entities.BanScope.All, CancellationToken.None));
    }

    private static async Task<Data.Entities.Device> EnrolAsync(ApiFactory f, Guid userId, string name)
    {
        await using var scope = f.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DeviceService>()
            .EnrolAsync(userId, name, Hex(), Hex(), TimeSpan.FromDays(180), CancellationToken.None);
    }

    private static async Task<Data.Entities.SetupKey?> ConsumeAsync(ApiFactory f, string key)
    {
        await using var scope = f.Services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<SetupKeyService>();
        var used = await keys.ConsumeAsync(key, CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>().SaveChangesAsync();
        return used;
    }

    private static string Hex() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}

public sealed class SqliteDeviceAndKeyTests(SqliteWorld world) : DeviceAndKeyTests(world), IClassFixture<SqliteWorld>;

public sealed class PostgresDeviceAndKeyTests(PostgresWorld world) : DeviceAndKeyTests(world), IClassFixture<PostgresWorld>;
