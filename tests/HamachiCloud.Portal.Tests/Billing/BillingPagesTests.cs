using System.Net;
using Bunit;
using Bunit.TestDoubles;
using HamachiCloud.Api.Contracts.Billing;
using HamachiCloud.Portal.Components.Billing;
using HamachiCloud.Portal.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace HamachiCloud.Portal.Tests.Billing;

/// <summary>The billing page and the plans page: what they show, live plan changes, and Checkout.</summary>
public sealed class BillingPagesTests : PortalTestContext
{
    private static readonly Guid NetworkId = Guid.NewGuid();

    private static List<PlanOfferDto> Plans(bool configured) =>
    [
        new("free", "Free", 5, false, false, 2000, ["Up to 5 members per network"], "EUR", 0, 0, false, false),
        new("standard", "Standard", 32, false, false, 10000, ["Up to 32 members per network"], "EUR", 499, 4990, configured, false),
        new("premium", "Premium", 256, false, true, 50000, ["Up to 256 members per network", "Gateway networks and LAN routes"], "EUR", 999, 9990, configured, configured),
        new("multi-network", "Multi-network", 256, true, true, 50000, ["Up to 256 members on every network you own"], "EUR", 2999, 29990, false, configured),
    ];

    private static BillingOverviewDto Overview(bool configured, string plan, int limit, params SubscriptionDto[] subscriptions) => new(
        configured, subscriptions.Length > 0, Plans(configured), subscriptions,
        [new NetworkPlanDto(NetworkId, "123-456-789", "studio", plan, plan == "free" ? "Free" : "Premium", 3, limit)]);

    [Fact]
    public void Without_payments_set_up_the_billing_page_says_so_and_offers_no_upgrade()
    {
        Api.Answer("/api/v1/billing", () => Overview(false, "free", 5));
        Render<MudPopoverProvider>();
        var page = Render<BillingOverview>();

        page.WaitForAssertion(() => Assert.Contains("Payments are not set up", page.Find("[data-testid=billing-not-configured]").TextContent, StringComparison.Ordinal));
        Assert.Equal("3/5", page.Find("[data-testid=network-usage]").TextContent.Trim());
        Assert.Empty(page.FindAll("a[href^='/plans?network=']"));
        Assert.DoesNotContain("GET /api/v1/billing/invoices", Api.Requests);
    }

    [Fact]
    public void The_billing_page_reads_again_on_NetworksChanged_and_shows_the_new_plan()
    {
        var overview = Overview(true, "free", 5);
        Api.Answer("/api/v1/billing", () => overview);
        Api.Answer("/api/v1/billing/invoices", () => new List<InvoiceDto>());
        Render<MudPopoverProvider>();
        var page = Render<BillingOverview>();
        page.WaitForAssertion(() => Assert.Equal("Free", page.Find("[data-testid=network-plan]").TextContent.Trim()));
        Assert.Equal(1, Live.Starts);
        Assert.Single(page.FindAll($"a[href='/plans?network={NetworkId}']"));

        overview = Overview(true, "premium", 256, new SubscriptionDto(Guid.NewGuid(), "premium", "Premium", NetworkId, "studio", "active", "stripe",
            "monthly", Now, Now.AddDays(30), false, null, null));
        Live.PushNetworks();
        page.WaitForAssertion(() => Assert.Equal("Premium", page.Find("[data-testid=network-plan]").TextContent.Trim()));
        Assert.Equal("3/256", page.Find("[data-testid=network-usage]").TextContent.Trim());
        Assert.Contains("renews 2025-06-11", page.Find("tr[data-status=active]").TextContent, StringComparison.Ordinal);
        Assert.Contains("GET /api/v1/billing/invoices", Api.Requests);
    }
}

/// <summary>The plans page: prices and features side by side; choosing a plan posts a checkout and goes to its URL.</summary>
public sealed class PlansComparisonTests
{
    [Fact]
    public async Task Choosing_Premium_posts_the_checkout_for_the_network_and_sends_the_browser_to_Stripe()
    {
        var network = Guid.NewGuid();
        var stub = new StubApi();
        stub.Respond = r => r.RequestUri!.AbsolutePath switch
        {
            "/api/v1/billing" => StubApi.Json(HttpStatusCode.OK, new BillingOverviewDto(true, false,
            [
                new("free", "Free", 5, false, false, 2000, ["Up to 5 members per network"], "EUR", 0, 0, false, false),
                new("premium", "Premium", 256, false, true, 50000, ["Gateway networks and LAN routes"], "EUR", 999, 9990, true, true),
            ], [], [new NetworkPlanDto(network, "123-456-789", "studio", "free", "Free", 1, 5)])),
            "/api/v1/billing/checkout" => StubApi.Json(HttpStatusCode.OK, new BillingRedirectDto("https://checkout.stripe.test/c/pay/cs_1")),
            _ => StubApi.Problem(404, "not_found", "no"),
        };
        await using var ctx = stub.Context();
        ctx.Render<MudPopoverProvider>();
        var page = ctx.Render<PlansComparison>(p => p.Add(x => x.NetworkId, network));

        page.WaitForAssertion(() => Assert.Contains("9.99 EUR", page.Find("[data-plan=premium] [data-testid=plan-price]").TextContent, StringComparison.Ordinal));
        Assert.Equal("true", page.Find("[data-plan=free]").GetAttribute("data-current"));
        Assert.Contains("Gateway networks", page.Find("[data-plan=premium]").TextContent, StringComparison.Ordinal);

        page.Find("button[aria-label='Choose Premium']").Click();
        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Equal("https://checkout.stripe.test/c/pay/cs_1", navigation.Uri));
        var post = Assert.Single(stub.Requests, r => r.Method == HttpMethod.Post);
        Assert.Equal("/api/v1/billing/checkout", post.Path);
        Assert.Contains($"\"networkId\":\"{network}\"", post.Body, StringComparison.Ordinal);
        Assert.Contains("\"plan\":\"premium\"", post.Body, StringComparison.Ordinal);
        Assert.Contains("\"period\":\"monthly\"", post.Body, StringComparison.Ordinal);
    }
}
