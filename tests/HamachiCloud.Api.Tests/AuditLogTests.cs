using System.Net;
using HamachiCloud.Api.Contracts;
using HamachiCloud.Api.Contracts.Audit;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Contracts.Support;
using HamachiCloud.Api.Jobs;
using HamachiCloud.Data.Entities;
using HamachiCloud.Protocol.Networks;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Issue 14, item 4: the audit log over REST. Each security-relevant action is listed with who, what, when and from
/// where; staff see everything, an owner only its networks' events; filters and paging; the CSV export has the same
/// events with the same fields (402 for an owner without premium features); the retention job prunes old events.
/// </summary>
public abstract class AuditLogTests(ApiWorld world)
{
    private const string From = "198.51.100.23";

    [SkippableFact]
    public async Task The_log_lists_each_security_action_with_who_what_when_and_where_and_the_csv_has_the_same_fields()
    {
        var f = await world.GetAsync();
        var staff = await TestUser.CreateStaffAsync(f);
        var owner = await TestUser.CreateAsync(f, "owner");
        var member = await TestUser.CreateAsync(f, "member");
        var started = TimeProvider.System.GetUtcNow().AddSeconds(-1);

        await SupportTests.SignInFromAsync(f, owner, From);
        await SupportTests.FailSignInFromAsync(f, owner.Email, From);
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("audited", JoinPolicy: JoinPolicy.Approval));
        await member.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        await owner.Client.ApproveMemberAsync(net.Id, member.Id);
        await owner.Client.EvictMemberAsync(net.Id, member.Id);
        await TestPlans.GrantAsync(f, net.Id, Plan.PremiumId, staff);
        await owner.Client.CreateApiTokenAsync(new Contracts.Accounts.CreateApiTokenRequest("ci", ["read"]));
        await using var agent = await TestAgent.EnrolAsync(owner.Client, "box");
        await owner.Client.DeleteDeviceAsync(agent.DeviceId);
        await staff.Client.EndAccountSessionsAsync(member.Id, new SupportActionRequest("audit test"));

        var all = await staff.Client.ListAuditAsync(new AuditFilter(From: started, PageSize: 200));
        var expected = new[]
        {
            "account.signed_in", "account.sign_in_failed", "network.created", "member.requested", "member.approved", "member.evicted",
            "plan.granted", "api_token.created", "device.enrolled", "device.deleted", "support.sessions_ended",
        };
        foreach (var action in expected)
        {
            Assert.Contains(all.Events, e => e.Action == action);
        }

        var signIn = all.Events.First(e => e.Action == "account.signed_in" && e.TargetId == owner.Id.ToString());
        Assert.Equal((owner.Id, owner.Email, From), (signIn.ActorUserId, signIn.ActorEmail, signIn.IpAddress));
        Assert.InRange(signIn.At, started, TimeProvider.System.GetUtcNow().AddSeconds(1));
        var evicted = all.Events.Single(e => e.Action == "member.evicted" && e.NetworkId == net.Id);
        Assert.Equal(owner.Id, evicted.ActorUserId);
        Assert.Equal(staff.Id, all.Events.Single(e => e.Action == "plan.granted" && e.NetworkId == net.Id).ActorUserId);

        // The CSV has the same events, with the same fields in the same order.
        var csv = ParseCsv(await staff.Client.ExportAuditCsvAsync(new AuditFilter(From: started)));
        Assert.Equal(["id", "at", "actorUserId", "actorEmail", "action", "targetType", "targetId", "networkId", "ipAddress", "details"], csv[0]);
        var rows = csv.Skip(1).ToDictionary(r => long.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(all.Total, rows.Count);
        foreach (var e in all.Events)
        {
            var row = rows[e.Id];
            Assert.Equal(e.At, DateTimeOffset.Parse(row[1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal([e.ActorUserId?.ToString() ?? "", e.ActorEmail ?? "", e.Action, e.TargetType, e.TargetId, e.NetworkId?.ToString() ?? "", e.IpAddress ?? "", e.Details ?? ""],
                row[2..]);
        }
    }

    [SkippableFact]
    public async Task Owners_see_only_their_networks_events_staff_see_all_and_the_filters_and_paging_hold()
    {
        var f = await world.GetAsync();
        var staff = await TestUser.CreateStaffAsync(f);
        var alice = await TestUser.CreateAsync(f, "alice");
        var bob = await TestUser.CreateAsync(f, "bob");
        var started = TimeProvider.System.GetUtcNow().AddSeconds(-1);
        var aliceNet = await alice.Client.CreateNetworkAsync(new CreateNetworkRequest("alice-net", JoinPolicy: JoinPolicy.Open));
        var bobNet = await bob.Client.CreateNetworkAsync(new CreateNetworkRequest("bob-net", JoinPolicy: JoinPolicy.Open));
        await bob.Client.JoinNetworkAsync(new JoinNetworkRequest(aliceNet.NetworkId));
        await bob.Client.LeaveNetworkAsync(aliceNet.Id);
        await alice.Client.UpdateNetworkAsync(aliceNet.Id, new UpdateNetworkRequest(Name: "alice-renamed"));

        var mine = await alice.Client.ListAuditAsync(new AuditFilter(From: started));
        Assert.NotEmpty(mine.Events);
        Assert.All(mine.Events, e => Assert.Equal(aliceNet.Id, e.NetworkId));
        Assert.Contains(mine.Events, e => e.Action == "member.joined" && e.ActorUserId == bob.Id); // another account's action on her network
        Assert.DoesNotContain(mine.Events, e => e.Action.StartsWith("account.", StringComparison.Ordinal));
        var hers = await alice.Client.ListAuditAsync(new AuditFilter(NetworkId: bobNet.Id)).ContinueWith(t => t.Exception?.InnerException as HamachiApiException);
        Assert.Equal(404, hers!.Status); // not her network: same as none

        var staffView = await staff.Client.ListAuditAsync(new AuditFilter(From: started, PageSize: 200));
        Assert.Contains(staffView.Events, e => e.NetworkId == bobNet.Id);
        Assert.Contains(staffView.Events, e => e.NetworkId == aliceNet.Id);

        var joins = await staff.Client.ListAuditAsync(new AuditFilter(Action: "member", NetworkId: aliceNet.Id));
        Assert.Equal(["member.left", "member.joined"], joins.Events.Select(e => e.Action)); // newest first, the family only
        Assert.Single((await staff.Client.ListAuditAsync(new AuditFilter(Action: "member.left", ActorId: bob.Id, From: started))).Events);
        Assert.Empty((await staff.Client.ListAuditAsync(new AuditFilter(Action: "member.left", ActorId: alice.Id, From: started))).Events);
        Assert.Empty((await staff.Client.ListAuditAsync(new AuditFilter(NetworkId: aliceNet.Id, To: started))).Events);

        var page1 = await staff.Client.ListAuditAsync(new AuditFilter(NetworkId: aliceNet.Id, PageSize: 2, Page: 1));
        var page2 = await staff.Client.ListAuditAsync(new AuditFilter(NetworkId: aliceNet.Id, PageSize: 2, Page: 2));
        Assert.Equal(4, page1.Total); // created, joined, left, updated
        Assert.Equal(2, page1.Events.Count);
        Assert.Empty(page1.Events.Select(e => e.Id).Intersect(page2.Events.Select(e => e.Id)));
        Assert.True(page1.Events[^1].Id > page2.Events[0].Id);

        var bad = await Assert.ThrowsAsync<HamachiApiException>(() => staff.Client.ListAuditAsync(new AuditFilter(PageSize: 1000)));
        Assert.Equal((400, ErrorCodes.ValidationFailed), (bad.Status, bad.Code));
        Assert.True(bad.Problem.Errors!.ContainsKey("pageSize"));

        // Export: an owner needs the premium features; staff always may.
        var free = await Assert.ThrowsAsync<HamachiApiException>(() => alice.Client.ExportAuditCsvAsync());
        Assert.Equal((402, ErrorCodes.PlanRequired, "Premium"), (free.Status, free.Code, free.Problem.Plan));
        await TestPlans.GrantAsync(f, aliceNet.Id, Plan.PremiumId, staff);
        var csv = await alice.Client.ExportAuditCsvAsync(new AuditFilter(NetworkId: aliceNet.Id));
        Assert.Contains("member.joined", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(bobNet.Id.ToString(), csv, StringComparison.Ordinal);
        Assert.Contains(bobNet.NetworkId, await staff.Client.ExportAuditCsvAsync(new AuditFilter(NetworkId: bobNet.Id)), StringComparison.Ordinal);

        using var anonymous = f.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/audit")).StatusCode);
    }

    [SkippableFact]
    public async Task The_retention_job_deletes_only_events_older_than_the_configured_days()
    {
        var f = await world.GetAsync();
        var marker = "retention-" + Guid.NewGuid();
        await using (var scope = f.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>();
            var now = TimeProvider.System.GetUtcNow();
            db.AuditEvents.AddRange(
                new AuditEvent { At = now.AddDays(-400), Action = "test.old", TargetType = "test", TargetId = marker },
                new AuditEvent { At = now.AddDays(-366), Action = "test.just_over", TargetType = "test", TargetId = marker },
                new AuditEvent { At = now.AddDays(-364), Action = "test.kept", TargetType = "test", TargetId = marker },
                new AuditEvent { At = now, Action = "test.new", TargetType = "test", TargetId = marker });
            await db.SaveChangesAsync();
        }

        await using (var scope = f.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<AuditRetentionJob>().PruneAsync(CancellationToken.None) >= 2);
            var db = scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>();
            var left = db.AuditEvents.Where(e => e.TargetId == marker).Select(e => e.Action).ToList();
            Assert.Equal(["test.kept", "test.new"], left.Order());
        }
    }

    [SkippableFact]
    public async Task The_stale_device_job_removes_only_devices_unseen_for_the_configured_days_and_audits_it()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "forgetful");
        await using var stale = await TestAgent.EnrolAsync(owner.Client, "old-box");
        await using var recent = await TestAgent.EnrolAsync(owner.Client, "new-box");
        await using (var scope = f.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>();
            var now = TimeProvider.System.GetUtcNow();
            (await db.Devices.FindAsync(stale.DeviceId))!.LastSeenAt = now.AddDays(-181);
            (await db.Devices.FindAsync(recent.DeviceId))!.LastSeenAt = now.AddDays(-179);
            await db.SaveChangesAsync();
        }

        await using (var scope = f.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<StaleDeviceJob>().RemoveStaleAsync(CancellationToken.None) >= 1);
        }

        Assert.Equal([recent.DeviceId], (await owner.Client.ListDevicesAsync()).Select(d => d.Id));
        await using (var scope = f.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.HamachiDbContext>();
            var removed = Assert.Single(db.AuditEvents.Where(e => e.Action == "device.stale_removed" && e.TargetId == stale.DeviceId.ToString()).ToList());
            Assert.Null(removed.ActorUserId);
        }
    }

    /// <summary>RFC 4180: quoted fields with doubled quotes and embedded commas or line breaks.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        return rows;
    }
}

public sealed class SqliteAuditLogTests(SqliteWorld world) : AuditLogTests(world), IClassFixture<SqliteWorld>;

public sealed class PostgresAuditLogTests(PostgresWorld world) : AuditLogTests(world), IClassFixture<PostgresWorld>;
