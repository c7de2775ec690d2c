using HamachiCloud.Api.Contracts.Billing;

namespace HamachiCloud.Api.Contracts.Client;

/// <summary>Plans and payments (/api/v1/billing).</summary>
public sealed partial class HamachiClient
{
    public Task<BillingOverviewDto> GetBillingAsync(CancellationToken ct = default) =>
        SendAsync<BillingOverviewDto>(HttpMethod.Get, "api/v1/billing", null, ct);

    /// <summary>A Stripe Checkout page for the plan; 409 billing_not_configured when payments are not set up.</summary>
    public Task<BillingRedirectDto> StartCheckoutAsync(CheckoutRequest request, CancellationToken ct = default) =>
        SendAsync<BillingRedirectDto>(HttpMethod.Post, "api/v1/billing/checkout", request, ct);

    /// <summary>The Stripe Customer Portal (card, cancel); 409 no_billing_account before the first purchase.</summary>
    public Task<BillingRedirectDto> OpenBillingPortalAsync(CancellationToken ct = default) =>
        SendAsync<BillingRedirectDto>(HttpMethod.Post, "api/v1/billing/portal", null, ct);

    /// <summary>The account's invoices from Stripe, newest first (empty when payments are not set up).</summary>
    public Task<List<InvoiceDto>> ListInvoicesAsync(CancellationToken ct = default) =>
        SendAsync<List<InvoiceDto>>(HttpMethod.Get, "api/v1/billing/invoices", null, ct);
}
