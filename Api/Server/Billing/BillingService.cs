using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Contracts.Billing;
using HamachiCloud.Api.Identity;
using HamachiCloud.Api.Networks;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Billing;

/// <summary>
/// What a customer does with billing: see plans and subscriptions, start a Checkout, open the
/// Customer Portal, list invoices. Checkout creates the account's Stripe customer once (stored on
/// <see cref="User.StripeCustomerId"/>); only a network's owner buys for it. Scoped.
/// </summary>
internal sealed class BillingService(
    HamachiDbContext db, StripeGateway stripe, IOptions<BillingOptions> options, IOptions<IdentityServerOptions> identity, AuditLog audit, TimeProvider clock)
{
    public const string BillingPath = "/billing";
    public const string PlansPath = "/plans";
    private const int MaxIdempotencyKeyLength = 100;
    private readonly BillingOptions _options = options.Value;

    public async Task<BillingOverviewDto> OverviewAsync(Guid userId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, ct);
        var plans = await db.Plans.AsNoTracking().ToListAsync(ct);
        var subscriptions = await db.Subscriptions.AsNoTracking().Include(s => s.Plan).Include(s => s.Network)
            .Where(s => s.UserId == userId)
            .OrderByDescending(s => s.StartedAt)
            .ToListAsync(ct);
        var networks = await db.Networks.AsNoTracking().Include(n => n.Plan)
            .Where(n => n.OwnerId == userId)
            .OrderBy(n => n.Name)
            .ToListAsync(ct);
        var relayed = await RelayUsageRollup.ThisMonthAsync(db, networks.Select(n => n.Id).ToList(), clock.GetUtcNow(), ct);
        var rows = new List<NetworkPlanDto>(networks.Count);
        foreach (var n in networks)
        {
            var (limit, _) = await MemberLimits.ForAsync(db, n, ct);
            var taken = await MemberLimits.SeatsTakenAsync(db, n.Id, ct);
            rows.Add(new NetworkPlanDto(n.Id, n.NetworkId, n.Name, n.PlanId, n.Plan!.Name, taken, limit, relayed.GetValueOrDefault(n.Id)));
        }

        return new BillingOverviewDto(
            _options.Configured,
            user.StripeCustomerId is not null,
            PlanCatalog.Offers(plans, _options),
            subscriptions.Select(ToDto).ToList(),
            rows,
            rows.Sum(r => r.RelayBytesThisMonth));
    }

    public async Task<BillingRedirectDto> CheckoutAsync(Guid userId, CheckoutRequest request, string? idempotencyKey, CancellationToken ct)
    {
        var plan = request.Plan?.Trim().ToLowerInvariant();
        var period = request.Period?.Trim().ToLowerInvariant();
        var check = new Validator()
            .Check(plan is not null && BillingOptions.BuyablePlans.Contains(plan), "plan", $"must be one of {string.Join(", ", BillingOptions.BuyablePlans)}")
            .Check(period is not null && BillingPeriods.All.Contains(period), "period", $"must be one of {string.Join(", ", BillingPeriods.All)}")
            .Check(idempotencyKey is null || (idempotencyKey.Length <= MaxIdempotencyKeyLength && idempotencyKey.All(c => c is > ' ' and < '\x7f')),
                "Idempotency-Key", $"must be at most {MaxIdempotencyKeyLength} printable ASCII characters");
        var planRow = plan is null ? null : await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == plan, ct);
        if (planRow is not null)
        {
            check.Check(planRow.AccountWide || request.NetworkId is not null, "networkId", $"is required: the {planRow.Name} plan is bought for one network");
            check.Check(!planRow.AccountWide || request.NetworkId is null, "networkId", $"must be absent: the {planRow.Name} plan covers every network of the account");
        }

        check.ThrowIfInvalid();
        if (!_options.Configured)
        {
            throw ApiProblemException.Conflict(ErrorCodes.BillingNotConfigured,
                "payments are not set up on this server (Billing:SecretKey); ask support staff to grant a plan");
        }

        var priceId = _options.PriceId(plan!, period!) ?? throw ApiProblemException.Conflict(ErrorCodes.BillingNotConfigured,
            $"the {planRow!.Name} plan cannot be bought {period} here (no Billing:Plans:{plan}:{(period == BillingPeriods.Yearly ? "YearlyPriceId" : "MonthlyPriceId")})");

        if (request.NetworkId is { } networkId)
        {
            var network = await db.Networks.AsNoTracking().SingleOrDefaultAsync(n => n.Id == networkId, ct);
            var member = network is not null && await db.Memberships.AnyAsync(m => m.NetworkId == networkId && m.UserId == userId && m.Status == MemberStatus.Active, ct);
            if (network is null || (!member && network.OwnerId != userId))
            {
                throw ApiProblemException.NotFound("network");
            }

            if (network.OwnerId != userId)
            {
                throw new ApiProblemException(403, ErrorCodes.NotOwner, $"only the owner of network {network.NetworkId} can buy a plan for it");
            }
        }

        var user = await db.Users.SingleAsync(u => u.Id == userId, ct);
        if (user.StripeCustomerId is null)
        {
            user.StripeCustomerId = await stripe.CreateCustomerAsync(user, ct);
            audit.Record(userId, "billing.customer_created", "user", userId, user.StripeCustomerId);
            await db.SaveChangesAsync(ct);
        }

        var metadata = new Dictionary<string, string>
        {
            [StripeMetadata.UserId] = userId.ToString(),
            [StripeMetadata.PlanId] = plan!,
            [StripeMetadata.Period] = period!,
        };
        if (request.NetworkId is { } id)
        {
            metadata[StripeMetadata.NetworkId] = id.ToString();
        }

        // Per request: a client retrying the same purchase sends the same key and gets the same session;
        // scoped to the account so one account's key never answers another's request.
        var key = $"checkout-{userId:N}-{idempotencyKey ?? Guid.NewGuid().ToString("N")}";
        var portal = identity.Value.PortalUrl;
        var url = await stripe.CreateCheckoutSessionAsync(
            user.StripeCustomerId, priceId,
            $"{portal}{BillingPath}?checkout=success",
            $"{portal}{PlansPath}?checkout=cancelled",
            metadata, key, ct);
        audit.Record(userId, "billing.checkout_started", request.NetworkId is null ? "user" : "network", (object?)request.NetworkId ?? userId, $"{plan} {period}");
        await db.SaveChangesAsync(ct);
        return new BillingRedirectDto(url);
    }

    public async Task<BillingRedirectDto> PortalAsync(Guid userId, CancellationToken ct)
    {
        if (!_options.Configured)
        {
            throw ApiProblemException.Conflict(ErrorCodes.BillingNotConfigured, "payments are not set up on this server; plans are granted by support staff");
        }

        var customer = await db.Users.Where(u => u.Id == userId).Select(u => u.StripeCustomerId).SingleAsync(ct)
            ?? throw ApiProblemException.Conflict(ErrorCodes.NoBillingAccount, "nothing bought yet: there is no billing account to manage");
        var url = await stripe.CreatePortalSessionAsync(customer, $"{identity.Value.PortalUrl}{BillingPath}", ct);
        return new BillingRedirectDto(url);
    }

    public async Task<List<InvoiceDto>> InvoicesAsync(Guid userId, CancellationToken ct)
    {
        var customer = await db.Users.Where(u => u.Id == userId).Select(u => u.StripeCustomerId).SingleAsync(ct);
        return customer is null || !_options.Configured ? [] : await stripe.ListInvoicesAsync(customer, ct);
    }

    public static SubscriptionDto ToDto(Subscription s) => new(
        s.Id, s.PlanId, s.Plan?.Name ?? s.PlanId, s.NetworkId, s.Network?.Name,
        s.Status switch
        {
            SubscriptionStatus.Active => "active",
            SubscriptionStatus.PastDue => "past_due",
            SubscriptionStatus.Cancelled => "cancelled",
            _ => "ended",
        },
        s.Source == SubscriptionSource.Stripe ? "stripe" : "grant",
        s.BillingPeriod, s.StartedAt, s.EndsAt, s.CancelAtPeriodEnd, s.GraceEndsAt, s.Reason);
}
