using HamachiCloud.Api.Contracts.Billing;
using Microsoft.Extensions.Options;
using Stripe;

namespace HamachiCloud.Api.Billing;

/// <summary>
/// The Api's calls to Stripe's HTTP API (Stripe.net's <see cref="StripeClient"/> on
/// <see cref="BillingOptions.ApiBase"/>): customers, Checkout sessions, Customer Portal sessions,
/// invoices. The I/O seam of billing; tests point <c>Billing:ApiBase</c> at a local stand-in and
/// check the requests. Singleton (StripeClient is thread-safe). Stripe failures become 502
/// <c>payment_provider_error</c> naming the call.
/// </summary>
internal sealed class StripeGateway
{
    private readonly StripeClient? _client;
    private readonly ILogger<StripeGateway> _log;

    public StripeGateway(IOptions<BillingOptions> options, IHttpClientFactory http, ILogger<StripeGateway> log)
    {
        _log = log;
        var o = options.Value;
        if (o.Configured)
        {
            _client = new StripeClient(
                apiKey: o.SecretKey,
                httpClient: new SystemNetHttpClient(http.CreateClient(nameof(StripeGateway)), maxNetworkRetries: 2),
                apiBase: o.ApiBase);
        }
    }

    private StripeClient Client => _client ?? throw ApiProblemException.Conflict(
        ErrorCodes.BillingNotConfigured, "payments are not set up on this server (Billing:SecretKey); ask support staff to grant a plan");

    public Task<string> CreateCustomerAsync(User user, CancellationToken ct) =>
        CallAsync("create the Stripe customer", async () =>
        {
            var customer = await new CustomerService(Client).CreateAsync(
                new CustomerCreateOptions
                {
                    Email = user.Email,
                    Name = user.DisplayName,
                    Metadata = new Dictionary<string, string> { [StripeMetadata.UserId] = user.Id.ToString() },
                },
                // One customer per account even when two checkouts race (Stripe keeps the key 24 h).
                new RequestOptions { IdempotencyKey = $"customer-{user.Id:N}" },
                ct);
            return customer.Id;
        });

    public Task<string> CreateCheckoutSessionAsync(
        string customerId, string priceId, string successUrl, string cancelUrl, Dictionary<string, string> metadata, string idempotencyKey, CancellationToken ct) =>
        CallAsync("create the Checkout session", async () =>
        {
            var session = await new Stripe.Checkout.SessionService(Client).CreateAsync(
                new Stripe.Checkout.SessionCreateOptions
                {
                    Mode = "subscription",
                    Customer = customerId,
                    LineItems = [new Stripe.Checkout.SessionLineItemOptions { Price = priceId, Quantity = 1 }],
                    SuccessUrl = successUrl,
                    CancelUrl = cancelUrl,
                    ClientReferenceId = metadata[StripeMetadata.UserId],
                    Metadata = metadata,
                    SubscriptionData = new Stripe.Checkout.SessionSubscriptionDataOptions { Metadata = metadata },
                },
                new RequestOptions { IdempotencyKey = idempotencyKey },
                ct);
            return session.Url ?? throw new StripeException("Stripe answered a Checkout session without a url");
        });

    public Task<string> CreatePortalSessionAsync(string customerId, string returnUrl, CancellationToken ct) =>
        CallAsync("open the Customer Portal", async () =>
        {
            var session = await new Stripe.BillingPortal.SessionService(Client).CreateAsync(
                new Stripe.BillingPortal.SessionCreateOptions { Customer = customerId, ReturnUrl = returnUrl },
                cancellationToken: ct);
            return session.Url;
        });

    public async Task<List<InvoiceDto>> ListInvoicesAsync(string customerId, CancellationToken ct)
    {
        if (_client is null)
        {
            return [];
        }

        return await CallAsync("list invoices", async () =>
        {
            var list = await new InvoiceService(_client).ListAsync(new InvoiceListOptions { Customer = customerId, Limit = 24 }, cancellationToken: ct);
            return list.Data.Select(i => new InvoiceDto(
                i.Id, i.Number, i.Status, i.Total, i.Currency ?? "", new DateTimeOffset(DateTime.SpecifyKind(i.Created, DateTimeKind.Utc)), i.HostedInvoiceUrl, i.InvoicePdf)).ToList();
        });
    }

    private async Task<T> CallAsync<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (StripeException e)
        {
            _log.LogWarning(e, "stripe: {What} failed: {Status} {Code} {Message}", what, (int)e.HttpStatusCode, e.StripeError?.Code, e.Message);
            throw new ApiProblemException(502, ErrorCodes.PaymentProviderError, $"the payment provider refused to {what}: {e.StripeError?.Message ?? e.Message}");
        }
        catch (HttpRequestException e)
        {
            _log.LogWarning(e, "stripe: {What} failed: {Message}", what, e.Message);
            throw new ApiProblemException(502, ErrorCodes.PaymentProviderError, $"the payment provider is not reachable to {what}; try again");
        }
    }
}
