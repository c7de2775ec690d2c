using HamachiCloud.Api.Contracts;
using HamachiCloud.Data.Entities;
using HamachiCloud.Protocol.Networks;
using System.Net;
using System.Net.Http.Json;
using HamachiCloud.Api.Contracts.Billing;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Data;
using HamachiCloud.Migrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Checkout, the Customer Portal and invoices against a local stand-in for Stripe's HTTP API: the
/// tests check the requests the Api made (price, customer, success and cancel URLs, idempotency keys).
/// </summary>
public abstract class BillingCheckoutTests(BillingWorld world)
{
    [SkippableFact]
    public async Task Checkout_creates_the_customer_once_and_a_subscription_session_for_the_configured_price()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "buyer");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("shop"));
        var customer = "cus_" + Guid.NewGuid().ToString("N")[..14];
        world.Stripe.Customer(owner.Id, customer);
        var sessionsBefore = world.Stripe.Requests("/v1/checkout/sessions").Count;

        var redirect = await owner.Client.StartCheckoutAsync(new CheckoutRequest(Plan.PremiumId, BillingPeriods.Monthly, net.Id));
        Assert.Equal(world.Stripe.CheckoutUrl, redirect.Url);

        var c = Assert.Single(world.Stripe.Requests("/v1/customers"), r => r.Field("metadata[hamachi_user_id]") == owner.Id.ToString());
        Assert.Equal(owner.Email, c.Field("email"));
        Assert.Equal($"Bearer {StripeStandIn.SecretKey}", c.Header("Authorization"));
        Assert.Equal($"customer-{owner.Id:N}", c.Header("Idempotency-Key"));

        var session = world.Stripe.Requests("/v1/checkout/sessions").Skip(sessionsBefore).Single(r => r.Field("customer") == customer);
        Assert.Equal("POST", session.Method);
        Assert.Equal("subscription", session.Field("mode"));
        Assert.Equal(StripeStandIn.PremiumMonthly, session.Field("line_items[0][price]"));
        Assert.Equal("1", session.Field("line_items[0][quantity]"));
        Assert.Equal("http://127.0.0.1:5080/billing?checkout=success", session.Field("success_url"));
        Assert.Equal("http://127.0.0.1:5080/plans?checkout=cancelled", session.Field("cancel_url"));
        Assert.Equal(net.Id.ToString(), session.Field("metadata[hamachi_network_id]"));
        Assert.Equal(Plan.PremiumId, session.Field("subscription_data[metadata][hamachi_plan]"));
        var firstKey = session.Header("Idempotency-Key");
        Assert.StartsWith($"checkout-{owner.Id:N}-", firstKey, StringComparison.Ordinal);

        await using (var scope = f.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
            Assert.Equal(customer, (await db.Users.SingleAsync(u => u.Id == owner.Id)).StripeCustomerId);
        }

        // A second checkout reuses the customer and has its own idempotency key; a client retry sends
        // its key and the same key reaches Stripe (so Stripe answers the same session).
        await owner.Client.StartCheckoutAsync(new CheckoutRequest(Plan.StandardId, BillingPeriods.Monthly, net.Id));
        using var http = f.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", owner.Tokens.AccessToken);
        for (var i = 0; i < 2; i++)
        {
            using var retry = new HttpRequestMessage(HttpMethod.Post, "api/v1/billing/checkout")
            {
                Content = JsonContent.Create(new { plan = "premium", period = "yearly", networkId = net.Id }),
            };
            retry.Headers.Add("Idempotency-Key", "retry-1");
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(retry)).StatusCode);
        }

        Assert.Single(world.Stripe.Requests("/v1/customers"), r => r.Field("metadata[hamachi_user_id]") == owner.Id.ToString());
        var mine = world.Stripe.Requests("/v1/checkout/sessions").Where(r => r.Field("customer") == customer).ToList();
        Assert.Equal(4, mine.Count);
        Assert.Equal([StripeStandIn.PremiumMonthly, StripeStandIn.StandardMonthly, StripeStandIn.PremiumYearly, StripeStandIn.PremiumYearly], mine.Select(r => r.Field("line_items[0][price]")));
        Assert.NotEqual(firstKey, mine[1].Header("Idempotency-Key"));
        Assert.Equal($"checkout-{owner.Id:N}-retry-1", mine[2].Header("Idempotency-Key"));
        Assert.Equal(mine[2].Header("Idempotency-Key"), mine[3].Header("Idempotency-Key"));
    }

    [SkippableFact]
    public async Task Only_the_owner_buys_for_a_network_and_bad_requests_name_the_field()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "owner");
        var member = await TestUser.CreateAsync(f, "member");
        var stranger = await TestUser.CreateAsync(f, "stranger");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("owned", JoinPolicy: JoinPolicy.Open));
        await member.Client.JoinNetworkAsync(new JoinNetworkRequest(net.NetworkId));
        var sessions = world.Stripe.Requests("/v1/checkout/sessions").Count;

        var notOwner = await Assert.ThrowsAsync<HamachiApiException>(() => member.Client.StartCheckoutAsync(new CheckoutRequest("premium", "monthly", net.Id)));
        Assert.Equal((403, ErrorCodes.NotOwner), (notOwner.Status, notOwner.Code));
        var hidden = await Assert.ThrowsAsync<HamachiApiException>(() => stranger.Client.StartCheckoutAsync(new CheckoutRequest("premium", "monthly", net.Id)));
        Assert.Equal(404, hidden.Status);

        var free = await Assert.ThrowsAsync<HamachiApiException>(() => owner.Client.StartCheckoutAsync(new CheckoutRequest("free", "monthly", net.Id)));
        Assert.Equal(400, free.Status);
        Assert.Contains("plan", free.Problem.Errors!.Keys);
        var period = await Assert.ThrowsAsync<HamachiApiException>(() => owner.Client.StartCheckoutAsync(new CheckoutRequest("premium", "weekly", net.Id)));
        Assert.Contains("period", period.Problem.Errors!.Keys);
        var noNetwork = await Assert.ThrowsAsync<HamachiApiException>(() => owner.Client.StartCheckoutAsync(new CheckoutRequest("premium", "monthly")));
        Assert.Contains("networkId", noNetwork.Problem.Errors!.Keys);
        var accountWide = await Assert.ThrowsAsync<HamachiApiException>(() => owner.Client.StartCheckoutAsync(new CheckoutRequest("multi-network", "yearly", net.Id)));
        Assert.Contains("networkId", accountWide.Problem.Errors!.Keys);

        // No price configured for Multi-network monthly: refused before Stripe is called.
        var unpriced = await Assert.ThrowsAsync<HamachiApiException>(() => owner.Client.StartCheckoutAsync(new CheckoutRequest("multi-network", "monthly")));
        Assert.Equal((409, ErrorCodes.BillingNotConfigured), (unpriced.Status, unpriced.Code));
        Assert.Contains("Billing:Plans:multi-network:MonthlyPriceId", unpriced.Message, StringComparison.Ordinal);

        Assert.Equal(sessions, world.Stripe.Requests("/v1/checkout/sessions").Count);
    }

    [SkippableFact]
    public async Task The_overview_lists_plans_with_prices_and_the_customer_portal_and_invoices_come_from_Stripe()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "viewer");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("viewed"));

        var before = await owner.Client.GetBillingAsync();
        Assert.True(before.Configured);
        Assert.False(before.HasBillingAccount);
        Assert.Equal(["free", "standard", "premium", "multi-network"], before.Plans.Select(p => p.Id));
        var premium = before.Plans.Single(p => p.Id == "premium");
        Assert.Equal((256, true, true, false), (premium.MaxMembersPerNetwork, premium.BuyableMonthly, premium.BuyableYearly, premium.AccountWide));
        Assert.Equal(999, premium.MonthlyCents); // the embedded display price
        Assert.False(before.Plans.Single(p => p.Id == "multi-network").BuyableMonthly);
        var row = Assert.Single(before.Networks);
        Assert.Equal((net.Id, "free", 1, 5), (row.Id, row.PlanId, row.MemberCount, row.MemberLimit));
        Assert.Empty(await owner.Client.ListInvoicesAsync());
        var noAccount = await Assert.ThrowsAsync<HamachiApiException>(() => owner.Client.OpenBillingPortalAsync());
        Assert.Equal((409, ErrorCodes.NoBillingAccount), (noAccount.Status, noAccount.Code));

        var customer = "cus_" + Guid.NewGuid().ToString("N")[..14];
        world.Stripe.Customer(owner.Id, customer);
        world.Stripe.Invoice(customer, "in_test_1", 999);
        await owner.Client.StartCheckoutAsync(new CheckoutRequest("premium", "monthly", net.Id));

        Assert.True((await owner.Client.GetBillingAsync()).HasBillingAccount);
        var portal = await owner.Client.OpenBillingPortalAsync();
        Assert.Equal(world.Stripe.PortalUrl, portal.Url);
        var portalRequest = world.Stripe.Requests("/v1/billing_portal/sessions").Single(r => r.Field("customer") == customer);
        Assert.Equal("http://127.0.0.1:5080/billing", portalRequest.Field("return_url"));
        var invoice = Assert.Single(await owner.Client.ListInvoicesAsync());
        Assert.Equal(("in_test_1", "HC-0001", 999L, "paid"), (invoice.Id, invoice.Number, invoice.TotalCents, invoice.Status));
    }
}

public sealed class SqliteBillingCheckoutTests(SqliteBillingWorld world) : BillingCheckoutTests(world), IClassFixture<SqliteBillingWorld>;

public sealed class PostgresBillingCheckoutTests(PostgresBillingWorld world) : BillingCheckoutTests(world), IClassFixture<PostgresBillingWorld>;

/// <summary>Without Stripe keys (the embedded default) billing is "not set up" and nothing fails.</summary>
public sealed class BillingNotConfiguredTests(SqliteWorld world) : IClassFixture<SqliteWorld>
{
    [Fact]
    public async Task Pages_read_not_configured_Stripe_endpoints_answer_a_clear_problem_and_the_webhook_503()
    {
        var f = await world.GetAsync();
        var owner = await TestUser.CreateAsync(f, "unpaid");
        var net = await owner.Client.CreateNetworkAsync(new CreateNetworkRequest("plain"));

        var overview = await owner.Client.GetBillingAsync();
        Assert.False(overview.Configured);
        Assert.All(overview.Plans, p => Assert.False(p.BuyableMonthly || p.BuyableYearly));
        Assert.Equal("free", Assert.Single(overview.Networks).PlanId);
        Assert.Empty(await owner.Client.ListInvoicesAsync());

        var checkout = await Assert.ThrowsAsync<HamachiApiException>(() => owner.Client.StartCheckoutAsync(new CheckoutRequest("premium", "monthly", net.Id)));
        Assert.Equal((409, ErrorCodes.BillingNotConfigured), (checkout.Status, checkout.Code));
        var portal = await Assert.ThrowsAsync<HamachiApiException>(() => owner.Client.OpenBillingPortalAsync());
        Assert.Equal((409, ErrorCodes.BillingNotConfigured), (portal.Status, portal.Code));

        using var http = f.CreateClient();
        var hook = await StripeWebhooks.PostAsync(http, StripeWebhooks.Event("evt_x", "invoice.paid", new System.Text.Json.Nodes.JsonObject(), TimeProvider.System.GetUtcNow()));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, hook.StatusCode);
    }
}
