using System.Security.Claims;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Billing;

namespace HamachiCloud.Api.Billing;

/// <summary>
/// <c>/api/v1/billing</c>: plans and the account's subscriptions, Checkout and Customer Portal
/// sessions, invoices; and Stripe's webhook (anonymous: the signature is the credential).
/// </summary>
internal static class BillingEndpoints
{
    public const string WebhookPath = "/api/v1/billing/stripe/webhook";

    public static void MapBillingEndpoints(this IEndpointRouteBuilder api)
    {
        var read = api.MapGroup("/billing").WithTags("Billing").RequireAuthorization(AuthSchemes.ReadPolicy);
        var write = api.MapGroup("/billing").WithTags("Billing").RequireAuthorization(AuthSchemes.WritePolicy);

        read.MapGet("", (ClaimsPrincipal u, BillingService s, CancellationToken ct) => s.OverviewAsync(u.UserId(), ct))
            .WithSummary("Plans with limits, features and prices; whether payments are set up; the account's subscriptions and its networks' plans with usage");
        read.MapGet("/invoices", (ClaimsPrincipal u, BillingService s, CancellationToken ct) => s.InvoicesAsync(u.UserId(), ct))
            .WithSummary("The account's invoices from Stripe, newest first (empty when payments are not set up)");
        write.MapPost("/checkout", (CheckoutRequest request, ClaimsPrincipal u, HttpRequest http, BillingService s, CancellationToken ct) =>
                s.CheckoutAsync(u.UserId(), request, http.Headers["Idempotency-Key"].FirstOrDefault(), ct))
            .WithSummary("A Stripe Checkout page for a plan (send Idempotency-Key to make retries return the same page); 409 billing_not_configured");
        write.MapPost("/portal", (ClaimsPrincipal u, BillingService s, CancellationToken ct) => s.PortalAsync(u.UserId(), ct))
            .WithSummary("The Stripe Customer Portal: change the card, the plan, or cancel");

        api.MapPost("/billing/stripe/webhook", (HttpRequest request, StripeWebhook webhook, CancellationToken ct) => webhook.HandleAsync(request, ct))
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();
    }
}
