using System.Net;
using HamachiCloud.Api.Contracts.Billing;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Data;
using HamachiCloud.Data.Entities;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Networks;
using HamachiCloud.Protocol.Relay;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Relay usage: the bytes a relay reports at its heartbeat are rolled up (a Hangfire job) per network and day and
/// show on the owner's billing page as this month's relay traffic; a malformed report is refused whole.
/// </summary>
public sealed class RelayUsageTests
{
    [Fact]
    public async Task Reported_bytes_reach_the_owners_billing_page_once_per_report_against_the_shared_network()
    {
        await using var f = await ApiFactory.CreateAsync(DatabaseProvider.Sqlite);
        var owner = await TestUser.CreateAsync(f, "owner");
        var friend = await TestUser.CreateAsync(f, "friend");
        var shared = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("lan party", JoinPolicy: JoinPolicy.Open));
        var other = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("alone", JoinPolicy: JoinPolicy.Open));
        await friend.Client.JoinNetworkAsync(new JoinNetworkRequest(shared.NetworkId));
        await using var mine = await TestAgent.EnrolAsync(owner.Client, "laptop");
        await mine.ConnectAndLoginAsync(f);
        await using var theirs = await TestAgent.EnrolAsync(friend.Client, "desktop");
        await theirs.ConnectAndLoginAsync(f);
        var keys = await NodeKeysAsync(f, mine.DeviceId, theirs.DeviceId);

        using var http = f.CreateClient();
        var relay = Guid.NewGuid();
        var report = RelayApiTests.Heartbeat(relay) with
        {
            Usage = [new RelayUsageReport(keys[0], keys[1], 3_000_000), new RelayUsageReport(keys[1], keys[0], 1_000_000)],
        };
        using (var beat = await RelayApiTests.PostAsync(http, report))
        {
            Assert.True(beat.StatusCode == HttpStatusCode.OK, await beat.Content.ReadAsStringAsync());
        }

        var billing = await WaitForAsync(owner, b => b.RelayBytesThisMonth > 0);
        Assert.Equal(4_000_000, billing.RelayBytesThisMonth);
        Assert.Equal(4_000_000, billing.Networks.Single(n => n.Id == shared.Id).RelayBytesThisMonth);
        Assert.Equal(0, billing.Networks.Single(n => n.Id == other.Id).RelayBytesThisMonth);
        Assert.Equal(0, (await friend.Client.GetBillingAsync()).RelayBytesThisMonth); // billed to the network's owner

        // A second heartbeat adds its own bytes to the day's row; one without usage adds nothing.
        using (var beat = await RelayApiTests.PostAsync(http, RelayApiTests.Heartbeat(relay) with { Usage = [new RelayUsageReport(keys[0], keys[1], 500)] }))
        {
            Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
        }

        using (var beat = await RelayApiTests.PostAsync(http, RelayApiTests.Heartbeat(relay)))
        {
            Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
        }

        billing = await WaitForAsync(owner, b => b.RelayBytesThisMonth > 4_000_000);
        Assert.Equal(4_000_500, billing.RelayBytesThisMonth);

        // Malformed usage (a short key, a negative count): 400 naming the field, nothing counted.
        foreach (var bad in new[] { new RelayUsageReport("AAAA", keys[1], 10), new RelayUsageReport(keys[0], keys[1], -5) })
        {
            using var refused = await RelayApiTests.PostAsync(http, RelayApiTests.Heartbeat(relay) with { Usage = [bad] });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("usage", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await Task.Delay(TimeSpan.FromSeconds(2), TimeProvider.System);
        Assert.Equal(4_000_500, (await owner.Client.GetBillingAsync()).RelayBytesThisMonth);
    }

    private static async Task<string[]> NodeKeysAsync(ApiFactory f, params Guid[] devices)
    {
        await using var scope = f.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
        var keys = await db.Devices.Where(d => devices.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.NodeKey);
        return devices.Select(d => Convert.ToBase64String(Convert.FromHexString(keys[d]))).ToArray(); // relays report base64
    }

    /// <summary>The billing overview once <paramref name="done"/> holds (the roll-up is a background job), at most 30 s.</summary>
    private static async Task<BillingOverviewDto> WaitForAsync(TestUser user, Func<BillingOverviewDto, bool> done)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while (true)
        {
            var billing = await user.Client.GetBillingAsync();
            if (done(billing) || TimeProvider.System.GetUtcNow() > deadline)
            {
                return billing;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }
    }
}
