using HamachiCloud.Api.Contracts;
using HamachiCloud.Data.Entities;
using HamachiCloud.Protocol.Networks;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HamachiCloud.Api.Contracts.Billing;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Jobs;
using HamachiCloud.Data;
using HamachiCloud.Protocol.Control;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Stripe's webhooks, signed with the test endpoint secret exactly as Stripe signs them: they move a
/// network's plan (and so who can join, through the API and the hub); a redelivery, a bad or old
/// signature, an unknown customer and an out-of-order event change nothing.
/// </summary>
public abstract class BillingWebhookTests(BillingWorld world)
{
    [SkippableFact]
    public async Task Checkout_completed_and_subscription_created_make_a_network_Premium_so_a_6th_and_a_33rd_member_join()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("growing", JoinPolicy: JoinPolicy.Open));
        var members = new List<TestUser>();
        for (var i = 0; i < 5; i++)
        {
            members.Add(await TestUser.CreateAsync(f, $"m{i}"));
        }

        foreach (var m in members[..4])
        {
            await m.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        }

        // Free: the 6th is refused, through the API and through the hub.
        var full = await Assert.ThrowsAsync<HamachiApiException>(() => members[4].Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId)));
        Assert.Equal((402, ErrorCodes.PlanRequired), (full.Status, full.Code)); // a bigger plan allows it
        await using var agent = await TestAgent.EnrolAsync(members[4].Client, "sixth");
        await agent.ConnectAndLoginAsync(f);
        var refused = await agent.Connection.InvokeAsync<CommandResult>(nameof(IAgentHub.JoinNetwork), net.NetworkId, null);
        Assert.Equal((false, ErrorCodes.PlanRequired), (refused.Ok, refused.ErrorCode));

        var customer = await BuyAsync(f, owner, net.Id);
        var sub = "sub_" + Guid.NewGuid().ToString("N")[..14];
        var metadata = StripeWebhooks.Metadata(owner.Id, "premium", net.Id);
        using var http = f.CreateClient();
        var now = TimeProvider.System.GetUtcNow();
        var completed = await StripeWebhooks.PostAsync(http, StripeWebhooks.Event(NewEventId(), "checkout.session.completed",
            StripeWebhooks.CheckoutSession(customer, sub, metadata), now));
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        var created = await StripeWebhooks.PostAsync(http, StripeWebhooks.Event(NewEventId(), "customer.subscription.created",
            StripeWebhooks.Subscription(sub, customer, "active", StripeStandIn.PremiumMonthly, now.AddDays(30), metadata), now));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);

        var upgraded = await owner.Client.GetNetworkAsync(net.Id);
        Assert.Equal(("Premium", 256), (upgraded.Plan, upgraded.MemberLimit));
        var billing = await owner.Client.GetBillingAsync();
        var bought = Assert.Single(billing.Subscriptions);
        Assert.Equal(("premium", net.Id, "active", "stripe", "monthly"), (bought.PlanId, bought.NetworkId, bought.Status, bought.Source, bought.BillingPeriod));
        Assert.Equal(now.AddDays(30).ToUnixTimeSeconds(), bought.EndsAt!.Value.ToUnixTimeSeconds());
        Assert.Equal((5, 256), (billing.Networks.Single().MemberCount, billing.Networks.Single().MemberLimit));

        // The 6th joins through the hub now; members 7..32 through the API; the 33rd (over Standard's 32) through the hub too.
        var joined = await agent.Connection.InvokeAsync<CommandResult>(nameof(IAgentHub.JoinNetwork), net.NetworkId, null);
        Assert.True(joined.Ok, $"{joined.ErrorCode}: {joined.Error}");
        for (var n = 7; n <= 32; n++)
        {
            var m = await TestUser.CreateAsync(f, $"m{n}");
            Assert.Equal(MemberStatus.Active, (await m.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId))).MyStatus);
        }

        var thirtyThird = await TestUser.CreateAsync(f, "m33");
        await using var late = await TestAgent.EnrolAsync(thirtyThird.Client, "thirty-third");
        await late.ConnectAndLoginAsync(f);
        var last = await late.Connection.InvokeAsync<CommandResult>(nameof(IAgentHub.JoinNetwork), net.NetworkId, null);
        Assert.True(last.Ok, $"{last.ErrorCode}: {last.Error}");
        Assert.Equal(33, (await owner.Client.GetNetworkAsync(net.Id)).MemberCount);

        await using var scope = f.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
        Assert.Contains(await db.AuditEvents.Where(a => a.Action == "billing.subscription_started").Select(a => a.Details).ToListAsync(), d => d!.Contains(sub, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_redelivered_event_a_bad_or_old_signature_and_an_unknown_customer_change_nothing()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("guarded"));
        var customer = await BuyAsync(f, owner, net.Id);
        var sub = "sub_" + Guid.NewGuid().ToString("N")[..14];
        var metadata = StripeWebhooks.Metadata(owner.Id, "premium", net.Id);
        using var http = f.CreateClient();
        var t0 = TimeProvider.System.GetUtcNow().AddMinutes(-3);

        // Past due first (older), then active again (newer).
        var pastDueId = NewEventId();
        var pastDue = StripeWebhooks.Event(pastDueId, "customer.subscription.created",
            StripeWebhooks.Subscription(sub, customer, "past_due", StripeStandIn.PremiumMonthly, t0.AddDays(30), metadata), t0);
        Assert.Equal(HttpStatusCode.OK, (await StripeWebhooks.PostAsync(http, pastDue)).StatusCode);
        var graced = Assert.Single((await owner.Client.GetBillingAsync()).Subscriptions);
        Assert.Equal("past_due", graced.Status);
        Assert.InRange(graced.GraceEndsAt!.Value, TimeProvider.System.GetUtcNow().AddDays(7).AddMinutes(-5), TimeProvider.System.GetUtcNow().AddDays(7).AddMinutes(1));
        Assert.Equal("Premium", (await owner.Client.GetNetworkAsync(net.Id)).Plan); // within its grace
        var active = StripeWebhooks.Event(NewEventId(), "customer.subscription.updated",
            StripeWebhooks.Subscription(sub, customer, "active", StripeStandIn.PremiumMonthly, t0.AddDays(30), metadata), t0.AddMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await StripeWebhooks.PostAsync(http, active)).StatusCode);
        Assert.Equal("active", Assert.Single((await owner.Client.GetBillingAsync()).Subscriptions).Status);
        var before = await SnapshotAsync(f, owner.Id);

        // 1. The same past-due event again (same id): 200, nothing changes.
        var again = await StripeWebhooks.PostAsync(http, pastDue);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.StartsWith("duplicate", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(f, owner.Id));
        before = await SnapshotAsync(f, owner.Id, ignoreEvents: true);

        // 2. Out of order: a new event id whose event is older than what was applied.
        var stale = StripeWebhooks.Event(NewEventId(), "customer.subscription.updated",
            StripeWebhooks.Subscription(sub, customer, "canceled", StripeStandIn.PremiumMonthly, t0.AddDays(30), metadata), t0.AddSeconds(30));
        var staleAnswer = await StripeWebhooks.PostAsync(http, stale);
        Assert.Equal(HttpStatusCode.OK, staleAnswer.StatusCode);
        Assert.StartsWith("ignored: older", (await staleAnswer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(f, owner.Id, ignoreEvents: true));
        var cancel = StripeWebhooks.Subscription(sub, customer, "canceled", StripeStandIn.PremiumMonthly, t0.AddDays(30), metadata);

        // 3. A bad signature (another secret), a missing one, and one older than the 300 s tolerance: 400, nothing stored.
        var forgedId = NewEventId();
        var forged = StripeWebhooks.Event(forgedId, "customer.subscription.deleted", cancel, TimeProvider.System.GetUtcNow());
        Assert.Equal(HttpStatusCode.BadRequest, (await StripeWebhooks.PostAsync(http, forged, secret: "whsec_someone_else")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync(StripeWebhooks.Path, new StringContent(forged))).StatusCode);
        var oldAnswer = await StripeWebhooks.PostAsync(http, forged, signedAt: TimeProvider.System.GetUtcNow().AddSeconds(-301));
        Assert.Equal(HttpStatusCode.BadRequest, oldAnswer.StatusCode);
        Assert.Equal(ErrorCodes.InvalidSignature, (await oldAnswer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        // 4. An unknown customer: 200 (Stripe must not retry), recorded as ignored, no subscription.
        var stranger = StripeWebhooks.Event(NewEventId(), "customer.subscription.created",
            StripeWebhooks.Subscription("sub_unknown_" + Guid.NewGuid().ToString("N")[..8], "cus_nobody_" + Guid.NewGuid().ToString("N")[..8], "active",
                StripeStandIn.PremiumMonthly, t0.AddDays(30), metadata), TimeProvider.System.GetUtcNow());
        var strangerAnswer = await StripeWebhooks.PostAsync(http, stranger);
        Assert.Equal(HttpStatusCode.OK, strangerAnswer.StatusCode);
        var strangerId = (await strangerAnswer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("eventId").GetString();

        Assert.Equal(before, await SnapshotAsync(f, owner.Id, ignoreEvents: true));
        await using (var scope = f.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
            Assert.Equal("ignored: unknown customer", (await db.StripeEvents.SingleAsync(e => e.Id == strangerId)).Outcome);
            Assert.False(await db.StripeEvents.AnyAsync(e => e.Id == forgedId));
            Assert.Equal(1, await db.StripeEvents.CountAsync(e => e.Id == pastDueId));
        }

        Assert.Equal("Premium", (await owner.Client.GetNetworkAsync(net.Id)).Plan);

        // Control: the very event refused above, signed rightly and freshly, is applied (it was the signature that failed).
        Assert.Equal(HttpStatusCode.OK, (await StripeWebhooks.PostAsync(http, forged)).StatusCode);
        Assert.Equal("ended", Assert.Single((await owner.Client.GetBillingAsync()).Subscriptions).Status);
        Assert.Equal("Free", (await owner.Client.GetNetworkAsync(net.Id)).Plan);
    }

    [SkippableFact]
    public async Task An_auto_renewing_subscription_past_its_period_end_waits_for_the_renewal_webhook_before_it_ends()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "renewing");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("renews"));
        var customer = await BuyAsync(f, owner, net.Id);
        var sub = "sub_" + Guid.NewGuid().ToString("N")[..14];
        var metadata = StripeWebhooks.Metadata(owner.Id, "premium", net.Id);
        using var http = f.CreateClient();
        var now = TimeProvider.System.GetUtcNow();
        await StripeWebhooks.PostAsync(http, StripeWebhooks.Event(NewEventId(), "customer.subscription.created",
            StripeWebhooks.Subscription(sub, customer, "active", StripeStandIn.PremiumMonthly, now.AddDays(30), metadata), now));
        Assert.Equal("Premium", (await owner.Client.GetNetworkAsync(net.Id)).Plan);

        // The period ended an hour ago and Stripe's renewal has not arrived yet: the plan stays.
        await SetPeriodEndAsync(f, sub, TimeProvider.System.GetUtcNow().AddHours(-1));
        Assert.Equal("Premium", (await owner.Client.GetNetworkAsync(net.Id)).Plan);

        // Longer than the renewal wait: the renewal is not coming, the subscription ends and the network is Free.
        await SetPeriodEndAsync(f, sub, TimeProvider.System.GetUtcNow() - Plans.PlanChanges.RenewalWait - TimeSpan.FromMinutes(1));
        Assert.Equal("Free", (await owner.Client.GetNetworkAsync(net.Id)).Plan);
    }

    /// <summary>Moves the subscription's period end in the database and runs the expiry job, as time passing would.</summary>
    private static async Task SetPeriodEndAsync(ApiFactory f, string sub, DateTimeOffset endsAt)
    {
        await using var scope = f.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
        var row = await db.Subscriptions.SingleAsync(x => x.ExternalReference == sub);
        row.EndsAt = endsAt;
        await db.SaveChangesAsync();
        await scope.ServiceProvider.GetRequiredService<BillingJobs>().ExpireAsync(CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<Plans.PlanChanges>().ApplyAsync(row.UserId, CancellationToken.None);
    }

    [SkippableFact]
    public async Task Payment_failed_grants_a_grace_period_mails_the_owner_and_the_expiry_job_ends_it_back_to_Free()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "lapsing");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("lapse"));
        var customer = await BuyAsync(f, owner, net.Id);
        var sub = "sub_" + Guid.NewGuid().ToString("N")[..14];
        var metadata = StripeWebhooks.Metadata(owner.Id, "premium", net.Id);
        using var http = f.CreateClient();
        var now = TimeProvider.System.GetUtcNow();
        await StripeWebhooks.PostAsync(http, StripeWebhooks.Event(NewEventId(), "customer.subscription.created",
            StripeWebhooks.Subscription(sub, customer, "active", StripeStandIn.PremiumMonthly, now.AddDays(30), metadata), now));
        Assert.Equal("Premium", (await owner.Client.GetNetworkAsync(net.Id)).Plan);

        var failed = await StripeWebhooks.PostAsync(http, StripeWebhooks.Event(NewEventId(), "invoice.payment_failed",
            StripeWebhooks.Invoice("in_" + Guid.NewGuid().ToString("N")[..10], customer, sub), now));
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        var s = Assert.Single((await owner.Client.GetBillingAsync()).Subscriptions);
        Assert.Equal("past_due", s.Status);
        Assert.Equal("Premium", (await owner.Client.GetNetworkAsync(net.Id)).Plan);
        var mail = await TestMails.WaitForAsync(f, owner.Email, "Payment failed");
        Assert.Contains("/billing", mail, StringComparison.Ordinal);

        // The grace ends: the hourly job ends the subscription and the network is Free again (nothing deleted).
        await using (var scope = f.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
            var row = await db.Subscriptions.SingleAsync(x => x.ExternalReference == sub);
            row.GraceEndsAt = TimeProvider.System.GetUtcNow().AddMinutes(-1);
            await db.SaveChangesAsync();
            Assert.True(await scope.ServiceProvider.GetRequiredService<BillingJobs>().ExpireAsync(CancellationToken.None) >= 1);
        }

        Assert.Equal(("Free", 5), ((await owner.Client.GetNetworkAsync(net.Id)).Plan, (await owner.Client.GetNetworkAsync(net.Id)).MemberLimit));
        Assert.Equal("ended", Assert.Single((await owner.Client.GetBillingAsync()).Subscriptions).Status);

        // A late invoice.paid for an ended subscription changes nothing.
        await StripeWebhooks.PostAsync(http, StripeWebhooks.Event(NewEventId(), "invoice.paid",
            StripeWebhooks.Invoice("in_" + Guid.NewGuid().ToString("N")[..10], customer, sub), TimeProvider.System.GetUtcNow()));
        Assert.Equal("ended", Assert.Single((await owner.Client.GetBillingAsync()).Subscriptions).Status);
    }

    [SkippableFact]
    public async Task Cancelled_at_period_end_keeps_the_plan_until_then_and_deleted_ends_it()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "leaving");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("leaving"));
        var customer = await BuyAsync(f, owner, net.Id);
        var sub = "sub_" + Guid.NewGuid().ToString("N")[..14];
        var metadata = StripeWebhooks.Metadata(owner.Id, "premium", net.Id);
        using var http = f.CreateClient();
        var now = TimeProvider.System.GetUtcNow();
        await StripeWebhooks.PostAsync(http, StripeWebhooks.Event(NewEventId(), "customer.subscription.created",
            StripeWebhooks.Subscription(sub, customer, "active", StripeStandIn.PremiumMonthly, now.AddDays(20), metadata), now));
        await StripeWebhooks.PostAsync(http, StripeWebhooks.Event(NewEventId(), "customer.subscription.updated",
            StripeWebhooks.Subscription(sub, customer, "active", StripeStandIn.PremiumMonthly, now.AddDays(20), metadata, cancelAtPeriodEnd: true), now.AddSeconds(1)));
        var s = Assert.Single((await owner.Client.GetBillingAsync()).Subscriptions);
        Assert.Equal(("cancelled", true), (s.Status, s.CancelAtPeriodEnd));
        Assert.Equal("Premium", (await owner.Client.GetNetworkAsync(net.Id)).Plan);

        await StripeWebhooks.PostAsync(http, StripeWebhooks.Event(NewEventId(), "customer.subscription.deleted",
            StripeWebhooks.Subscription(sub, customer, "canceled", StripeStandIn.PremiumMonthly, now.AddDays(20), metadata), now.AddSeconds(2)));
        Assert.Equal("ended", Assert.Single((await owner.Client.GetBillingAsync()).Subscriptions).Status);
        Assert.Equal("Free", (await owner.Client.GetNetworkAsync(net.Id)).Plan);
    }

    [SkippableFact]
    public async Task Related_events_delivered_at_the_same_moment_make_one_subscription()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "racing");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("raced"));
        var customer = await BuyAsync(f, owner, net.Id);
        var sub = "sub_" + Guid.NewGuid().ToString("N")[..14];
        var metadata = StripeWebhooks.Metadata(owner.Id, "premium", net.Id);
        using var http = f.CreateClient();
        var now = TimeProvider.System.GetUtcNow();
        var answers = await Task.WhenAll(
            StripeWebhooks.PostAsync(http, StripeWebhooks.Event(NewEventId(), "checkout.session.completed", StripeWebhooks.CheckoutSession(customer, sub, metadata), now)),
            StripeWebhooks.PostAsync(http, StripeWebhooks.Event(NewEventId(), "customer.subscription.created",
                StripeWebhooks.Subscription(sub, customer, "active", StripeStandIn.PremiumMonthly, now.AddDays(30), metadata), now)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var s = Assert.Single((await owner.Client.GetBillingAsync()).Subscriptions);
        Assert.Equal(now.AddDays(30).ToUnixTimeSeconds(), s.EndsAt!.Value.ToUnixTimeSeconds()); // the subscription's period, whichever came first
        Assert.Equal("Premium", (await owner.Client.GetNetworkAsync(net.Id)).Plan);
    }

    [SkippableFact]
    public async Task The_renewal_reminder_goes_out_once_per_period()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "renewing");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("renewed"));
        var customer = await BuyAsync(f, owner, net.Id);
        var sub = "sub_" + Guid.NewGuid().ToString("N")[..14];
        var metadata = StripeWebhooks.Metadata(owner.Id, "premium", net.Id, "yearly");
        using var http = f.CreateClient();
        var now = TimeProvider.System.GetUtcNow();
        await StripeWebhooks.PostAsync(http, StripeWebhooks.Event(NewEventId(), "customer.subscription.created",
            StripeWebhooks.Subscription(sub, customer, "active", StripeStandIn.PremiumYearly, now.AddDays(3), metadata), now));

        await using (var scope = f.Services.CreateAsyncScope())
        {
            var jobs = scope.ServiceProvider.GetRequiredService<BillingJobs>();
            Assert.True(await jobs.SendRenewalRemindersAsync(CancellationToken.None) >= 1);
        }

        var mail = await TestMails.WaitForAsync(f, owner.Email, "renews on");
        Assert.Contains("yearly Premium plan", mail, StringComparison.Ordinal);
        await using (var scope = f.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
            var id = StripeEventsRowId(sub);
            Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == BillingJobs.ReminderSentAction && a.TargetId == id));
            await scope.ServiceProvider.GetRequiredService<BillingJobs>().SendRenewalRemindersAsync(CancellationToken.None);
            Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == BillingJobs.ReminderSentAction && a.TargetId == id));
        }
    }

    private static string StripeEventsRowId(string subscriptionId) => HamachiCloud.Api.Billing.StripeEvents.RowId(subscriptionId).ToString();

    /// <summary>The owner's checkout through the API, so the account has a Stripe customer (from the stand-in).</summary>
    private async Task<string> BuyAsync(ApiFactory f, TestUser owner, Guid networkId)
    {
        var customer = "cus_" + Guid.NewGuid().ToString("N")[..14];
        world.Stripe.Customer(owner.Id, customer);
        await owner.Client.StartCheckoutAsync(new CheckoutRequest("premium", "monthly", networkId));
        return customer;
    }

    private static string NewEventId() => "evt_" + Guid.NewGuid().ToString("N");

    /// <summary>The account's billing state: subscriptions, its networks' plans, the processed events and billing audit.</summary>
    private static async Task<string> SnapshotAsync(ApiFactory f, Guid owner, bool ignoreEvents = false)
    {
        await using var scope = f.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
        var subs = (await db.Subscriptions.AsNoTracking().Where(s => s.UserId == owner).ToListAsync())
            .OrderBy(s => s.Id).Select(s => new { s.Id, s.PlanId, s.Status, s.EndsAt, s.GraceEndsAt, s.CancelAtPeriodEnd, s.ExternalUpdatedAt, s.UpdatedAt });
        var networks = (await db.Networks.AsNoTracking().Where(n => n.OwnerId == owner).ToListAsync()).OrderBy(n => n.Id).Select(n => new { n.Id, n.PlanId });
        var events = ignoreEvents ? [] : (await db.StripeEvents.AsNoTracking().Select(e => e.Id).ToListAsync()).Order().ToList();
        var audit = await db.AuditEvents.AsNoTracking().CountAsync(a => a.Action.StartsWith("billing.subscription"));
        return JsonSerializer.Serialize(new { subs, networks, events, audit });
    }
}

public sealed class SqliteBillingWebhookTests(SqliteBillingWorld world) : BillingWebhookTests(world), IClassFixture<SqliteBillingWorld>;

public sealed class PostgresBillingWebhookTests(PostgresBillingWorld world) : BillingWebhookTests(world), IClassFixture<PostgresBillingWorld>;
