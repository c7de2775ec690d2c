using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using WireMock.Logging;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// A local stand-in for Stripe's HTTP API (WireMock.Net on loopback), started by the test: it answers
/// customers, Checkout sessions, Customer Portal sessions and invoices like Stripe, and keeps every
/// request so tests check what the Api sent (form bodies, Idempotency-Key). Each account gets its own
/// customer id (matched on the metadata user id the Api sends).
/// </summary>
public sealed class StripeStandIn : IDisposable
{
    public const string SecretKey = "sk_test_standin_0123456789";
    public const string WebhookSecret = "whsec_test_standin_secret";
    public const string PremiumMonthly = "price_premium_monthly";
    public const string PremiumYearly = "price_premium_yearly";
    public const string StandardMonthly = "price_standard_monthly";
    public const string MultiYearly = "price_multi_yearly";

    private readonly WireMockServer _server = WireMockServer.Start();

    public StripeStandIn()
    {
        _server.Given(Request.Create().WithPath("/v1/checkout/sessions").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Json(new JsonObject
            {
                ["id"] = "cs_test_standin",
                ["object"] = "checkout.session",
                ["mode"] = "subscription",
                ["url"] = CheckoutUrl,
            })));
        _server.Given(Request.Create().WithPath(new WildcardMatcher("/pay/*")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html; charset=utf-8")
                .WithBody("<!doctype html><html lang=\"en\"><head><title>Stand-in Checkout</title></head><body><h1>Stand-in Checkout</h1></body></html>"));
        _server.Given(Request.Create().WithPath("/v1/invoices").UsingGet()).AtPriority(100) // no invoices unless a test adds some
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Json(new JsonObject
            {
                ["object"] = "list",
                ["url"] = "/v1/invoices",
                ["has_more"] = false,
                ["data"] = new JsonArray(),
            })));
        _server.Given(Request.Create().WithPath("/v1/billing_portal/sessions").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Json(new JsonObject
            {
                ["id"] = "bps_test_standin",
                ["object"] = "billing_portal.session",
                ["url"] = PortalUrl,
            })));
    }

    /// <summary>The stand-in's root, for <c>Billing:ApiBase</c>.</summary>
    public string Url => _server.Url!;

    /// <summary>The Checkout page the stand-in answers with (served by the stand-in itself, a plain page).</summary>
    public string CheckoutUrl => $"{Url}/pay/cs_test_standin";

    public string PortalUrl => $"{Url}/portal/bps_test_standin";

    /// <summary>The Api's configuration for billing against this stand-in.</summary>
    public Dictionary<string, string> Settings() => new()
    {
        ["Billing:SecretKey"] = SecretKey,
        ["Billing:WebhookSecret"] = WebhookSecret,
        ["Billing:ApiBase"] = Url,
        ["Billing:Plans:premium:MonthlyPriceId"] = PremiumMonthly,
        ["Billing:Plans:premium:YearlyPriceId"] = PremiumYearly,
        ["Billing:Plans:standard:MonthlyPriceId"] = StandardMonthly,
        ["Billing:Plans:multi-network:YearlyPriceId"] = MultiYearly,
    };

    /// <summary>Answers the creation of <paramref name="userId"/>'s Stripe customer with <paramref name="customerId"/>.</summary>
    public void Customer(Guid userId, string customerId) =>
        _server.Given(Request.Create().WithPath("/v1/customers").UsingPost().WithBody(new WildcardMatcher($"*{userId}*")))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Json(new JsonObject
            {
                ["id"] = customerId,
                ["object"] = "customer",
                ["email"] = "someone@example.test",
            })));

    /// <summary>Answers the invoice list of <paramref name="customerId"/> with one paid invoice.</summary>
    public void Invoice(string customerId, string invoiceId, long totalCents) =>
        _server.Given(Request.Create().WithPath("/v1/invoices").UsingGet().WithParam("customer", customerId)).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(Json(new JsonObject
            {
                ["object"] = "list",
                ["url"] = "/v1/invoices",
                ["has_more"] = false,
                ["data"] = new JsonArray(new JsonObject
                {
                    ["id"] = invoiceId,
                    ["object"] = "invoice",
                    ["number"] = "HC-0001",
                    ["status"] = "paid",
                    ["total"] = totalCents,
                    ["currency"] = "eur",
                    ["created"] = 1_790_000_000,
                    ["customer"] = customerId,
                    ["hosted_invoice_url"] = $"{Url}/invoice/{invoiceId}",
                }),
            })));

    /// <summary>Every request the stand-in received to <paramref name="path"/>.</summary>
    public IReadOnlyList<StripeRequest> Requests(string path) =>
        _server.LogEntries.Where(e => e.RequestMessage.Path == path).Select(e => new StripeRequest(e)).ToList();

    public void Dispose() => _server.Stop();

    private static string Json(JsonObject o) => o.ToJsonString();

    /// <summary>One request as Stripe would have seen it: method, form fields, headers.</summary>
    public sealed class StripeRequest(ILogEntry entry)
    {
        public string Method { get; } = entry.RequestMessage.Method;

        public Dictionary<string, StringValues> Form { get; } = QueryHelpers.ParseQuery(entry.RequestMessage.Body ?? "");

        public string? Header(string name) =>
            entry.RequestMessage.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

        public string? Field(string name) => Form.TryGetValue(name, out var v) ? v.ToString() : null;
    }
}
