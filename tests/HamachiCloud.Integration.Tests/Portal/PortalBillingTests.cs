using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Tests;
using HamachiCloud.Integration.Tests.EndToEnd;
using HamachiCloud.Integration.Tests.Lab;
using HamachiCloud.Protocol.Networks;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.Portal;

/// <summary>
/// Issue 13's browser result: a customer goes from /plans to Checkout (a local stand-in for Stripe answers
/// with its page's URL and the browser is sent there); after Stripe's signed webhooks reach the Api, the
/// open /billing page shows Premium without a reload (the live NetworksChanged push).
/// </summary>
[Collection(LabCollection.Name)]
public sealed class PortalBillingTests(ITestOutputHelper output)
{
    private const string Test = nameof(PortalBillingTests);

    [SkippableFact]
    public async Task From_plans_to_Checkout_and_after_the_webhook_the_open_billing_page_shows_Premium()
    {
        using var stripe = new StripeStandIn();
        await using var lab = await PortalLab.StartAsync(output, agentHosts: 1, portal: true, apiSettings: stripe.Settings());
        var owner = await LabUser.RegisterAsync(lab.Api, "buyer");
        var ownerApi = await LabApi.SignInAsync(lab.Api.Factory, owner.Email, owner.Password);
        var ownerId = (await ownerApi.GetMeAsync()).Id;
        var network = await ownerApi.CreateNetworkAsync(new CreateNetworkRequest("studio", NetworkType.Mesh, JoinPolicy.Open, null));
        var customer = "cus_" + Guid.NewGuid().ToString("N")[..14];
        stripe.Customer(ownerId, customer);

        // 1. /plans: the plans side by side, prices from the Api; Premium → Checkout at the stand-in.
        var page = await lab.Browser.NewPageAsync("buyer");
        await PortalSession.SignInAsync(page, lab, owner, $"/plans?network={network.Id}");
        var premium = page.Locator("[data-plan='premium']");
        await Assertions.Expect(premium.GetByTestId("plan-price")).ToContainTextAsync("9.99 EUR");
        await Assertions.Expect(page.Locator("[data-plan='free']")).ToHaveAttributeAsync("data-current", "true");
        await Screenshots.TakeAsync(page, Test, "plans");
        await page.GetByRole(AriaRole.Button, new() { Name = "Choose Premium" }).ClickAsync();
        await page.WaitForURLAsync(stripe.CheckoutUrl, new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Stand-in Checkout" })).ToBeVisibleAsync();
        var session = Assert.Single(stripe.Requests("/v1/checkout/sessions"));
        Assert.Equal((customer, StripeStandIn.PremiumMonthly, network.Id.ToString()),
            (session.Field("customer"), session.Field("line_items[0][price]"), session.Field("metadata[hamachi_network_id]")));
        Assert.Equal($"{lab.PortalUrl}/billing?checkout=success", session.Field("success_url"));

        // 2. Back on the Portal (Checkout's success URL): the billing page, still Free, live.
        await PortalSession.OpenAsync(page, session.Field("success_url")!);
        var row = page.Locator($"[data-network='{network.Id}']");
        await Assertions.Expect(row.GetByTestId("network-plan")).ToHaveTextAsync("Free", new() { Timeout = 20_000 });
        await Assertions.Expect(row.GetByTestId("network-usage")).ToHaveTextAsync("1/5");
        await Assertions.Expect(page.GetByTestId("checkout-returned")).ToBeVisibleAsync();
        await page.EvaluateAsync("() => { window.__billingPage = 'not reloaded'; }");

        // 3. Stripe's webhooks (signed with the endpoint secret) reach the Api: the open page shows Premium, no reload.
        using var http = lab.Api.Factory.CreateClient();
        var now = TimeProvider.System.GetUtcNow();
        var sub = "sub_" + Guid.NewGuid().ToString("N")[..14];
        var metadata = StripeWebhooks.Metadata(ownerId, "premium", network.Id);
        var completed = await StripeWebhooks.PostAsync(http, StripeWebhooks.Event("evt_" + Guid.NewGuid().ToString("N"), "checkout.session.completed",
            StripeWebhooks.CheckoutSession(customer, sub, metadata), now));
        Assert.True(completed.IsSuccessStatusCode, $"checkout.session.completed: {(int)completed.StatusCode}");
        var created = await StripeWebhooks.PostAsync(http, StripeWebhooks.Event("evt_" + Guid.NewGuid().ToString("N"), "customer.subscription.created",
            StripeWebhooks.Subscription(sub, customer, "active", StripeStandIn.PremiumMonthly, now.AddDays(30), metadata), now));
        Assert.True(created.IsSuccessStatusCode, $"customer.subscription.created: {(int)created.StatusCode}");

        await Assertions.Expect(row.GetByTestId("network-plan")).ToHaveTextAsync("Premium", new() { Timeout = 15_000 });
        await Assertions.Expect(row.GetByTestId("network-usage")).ToHaveTextAsync("1/256");
        await Assertions.Expect(page.Locator("[data-subscription][data-status='active']")).ToHaveCountAsync(1);
        Assert.Equal("not reloaded", await page.EvaluateAsync<string?>("() => window.__billingPage ?? null"));
        await Screenshots.TakeAsync(page, Test, "billing-premium");
    }
}
