using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Stripe webhook events as Stripe sends them: the JSON event and the <c>Stripe-Signature</c> header
/// computed as Stripe does (<c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "t.payload")&gt;</c>),
/// independently of Stripe.net, so the Api's verification is tested against the scheme itself.
/// </summary>
public static class StripeWebhooks
{
    public const string Path = "/api/v1/billing/stripe/webhook";

    public static string SignatureHeader(string payload, string secret, DateTimeOffset at)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{payload}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>Posts <paramref name="payload"/> signed with <paramref name="secret"/> at <paramref name="signedAt"/> (now when null).</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient http, string payload, string secret = StripeStandIn.WebhookSecret, DateTimeOffset? signedAt = null)
    {
        var content = new StringContent(payload, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = content };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", SignatureHeader(payload, secret, signedAt ?? TimeProvider.System.GetUtcNow()));
        return http.SendAsync(request);
    }

    public static string Event(string id, string type, JsonObject data, DateTimeOffset created) => new JsonObject
    {
        ["id"] = id,
        ["object"] = "event",
        ["api_version"] = Stripe.StripeConfiguration.ApiVersion,
        ["created"] = created.ToUnixTimeSeconds(),
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["type"] = type,
        ["data"] = new JsonObject { ["object"] = data },
    }.ToJsonString();

    public static JsonObject Metadata(Guid userId, string plan, Guid? networkId, string period = "monthly")
    {
        var m = new JsonObject { ["hamachi_user_id"] = userId.ToString(), ["hamachi_plan"] = plan, ["hamachi_period"] = period };
        if (networkId is { } n)
        {
            m["hamachi_network_id"] = n.ToString();
        }

        return m;
    }

    public static JsonObject CheckoutSession(string customer, string subscription, JsonObject metadata) => new()
    {
        ["id"] = "cs_test_" + Guid.NewGuid().ToString("N")[..12],
        ["object"] = "checkout.session",
        ["mode"] = "subscription",
        ["status"] = "complete",
        ["payment_status"] = "paid",
        ["customer"] = customer,
        ["subscription"] = subscription,
        ["metadata"] = metadata.DeepClone(),
    };

    public static JsonObject Subscription(
        string id, string customer, string status, string price, DateTimeOffset periodEnd, JsonObject metadata, bool cancelAtPeriodEnd = false) => new()
        {
            ["id"] = id,
            ["object"] = "subscription",
            ["customer"] = customer,
            ["status"] = status,
            ["cancel_at_period_end"] = cancelAtPeriodEnd,
            ["metadata"] = metadata.DeepClone(),
            ["items"] = new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray(new JsonObject
                {
                    ["id"] = "si_" + id,
                    ["object"] = "subscription_item",
                    ["current_period_start"] = periodEnd.AddMonths(-1).ToUnixTimeSeconds(),
                    ["current_period_end"] = periodEnd.ToUnixTimeSeconds(),
                    ["price"] = new JsonObject { ["id"] = price, ["object"] = "price" },
                }),
            },
        };

    public static JsonObject Invoice(string id, string customer, string subscription) => new()
    {
        ["id"] = id,
        ["object"] = "invoice",
        ["customer"] = customer,
        ["status"] = "open",
        ["parent"] = new JsonObject
        {
            ["type"] = "subscription_details",
            ["subscription_details"] = new JsonObject { ["subscription"] = subscription },
        },
    };
}
