using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Contracts.Billing;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Billing;

/// <summary>
/// Maps one verified Stripe event onto the account's <see cref="Subscription"/> rows (tracked, not
/// saved: the caller saves them with the event's <see cref="StripeEvent"/> row in one unit of work).
/// <c>checkout.session.completed</c> and <c>customer.subscription.created/updated</c> make a row
/// active (or cancelled at period end, or past due); <c>customer.subscription.deleted</c> ends it;
/// <c>invoice.paid</c> clears a past due; <c>invoice.payment_failed</c> makes it past due with a grace
/// period. An event older than the row's <see cref="Subscription.ExternalUpdatedAt"/> changes nothing.
/// Scoped.
/// </summary>
internal sealed class StripeEvents(HamachiDbContext db, AuditLog audit, IOptions<BillingOptions> options, TimeProvider clock)
{
    /// <summary>What an event did: the outcome stored with it, the account whose plans to recompute, a payment-failed mail to send.</summary>
    public sealed record Result(string Outcome, Guid? Owner = null, Guid? PaymentFailed = null);

    private readonly BillingOptions _options = options.Value;

    public Task<Result> ApplyAsync(Stripe.Event e, CancellationToken ct)
    {
        var at = Utc(e.Created);
        return e.Data?.Object switch
        {
            Stripe.Checkout.Session s when e.Type == Stripe.EventTypes.CheckoutSessionCompleted => CheckoutCompletedAsync(e.Id, s, at, ct),
            Stripe.Subscription s when e.Type is Stripe.EventTypes.CustomerSubscriptionCreated or Stripe.EventTypes.CustomerSubscriptionUpdated
                or Stripe.EventTypes.CustomerSubscriptionDeleted => SubscriptionChangedAsync(e.Id, s, e.Type == Stripe.EventTypes.CustomerSubscriptionDeleted, at, ct),
            Stripe.Invoice i when e.Type is Stripe.EventTypes.InvoicePaid or Stripe.EventTypes.InvoicePaymentFailed =>
                InvoiceAsync(e.Id, i, e.Type == Stripe.EventTypes.InvoicePaid, at, ct),
            _ => Task.FromResult(new Result($"ignored: {e.Type} is not handled")),
        };
    }

    private async Task<Result> CheckoutCompletedAsync(string eventId, Stripe.Checkout.Session session, DateTimeOffset at, CancellationToken ct)
    {
        if (session.Mode != "subscription" || string.IsNullOrEmpty(session.SubscriptionId))
        {
            return new Result("ignored: not a subscription checkout");
        }

        if (await CustomerAsync(session.CustomerId, ct) is not { } user)
        {
            return new Result("ignored: unknown customer");
        }

        var row = await RowAsync(user.Id, session.SubscriptionId, ct);
        if (row is not null)
        {
            return new Result("applied: subscription already known", user.Id); // customer.subscription.created came first
        }

        var target = await TargetAsync(user, session.Metadata, null, ct);
        if (target.Error is { } error)
        {
            return new Result(error);
        }

        row = NewRow(user.Id, session.SubscriptionId, target.PlanId!, target.Period, target.NetworkId, at);
        row.Status = SubscriptionStatus.Active;
        row.ExternalUpdatedAt = null; // the subscription's own events (possibly stamped a second earlier) still apply
        Audit(row, "billing.subscription_started", eventId);
        return new Result("applied: subscription started", user.Id);
    }

    private async Task<Result> SubscriptionChangedAsync(string eventId, Stripe.Subscription s, bool deleted, DateTimeOffset at, CancellationToken ct)
    {
        if (await CustomerAsync(s.CustomerId, ct) is not { } user)
        {
            return new Result("ignored: unknown customer");
        }

        var item = s.Items?.Data?.FirstOrDefault();
        var periodEnd = item is null ? (DateTimeOffset?)null : Utc(item.CurrentPeriodEnd);
        var row = await RowAsync(user.Id, s.Id, ct);
        if (row is null)
        {
            if (deleted || s.Status is "incomplete" or "incomplete_expired" or "canceled")
            {
                return new Result($"ignored: no live subscription {s.Id} ({s.Status})");
            }

            var target = await TargetAsync(user, s.Metadata, item?.Price?.Id, ct);
            if (target.Error is { } error)
            {
                return new Result(error);
            }

            row = NewRow(user.Id, s.Id, target.PlanId!, target.Period, target.NetworkId, at);
            Audit(row, "billing.subscription_started", eventId);
        }
        else if (row.ExternalUpdatedAt > at)
        {
            return new Result("ignored: older than the state already applied", user.Id);
        }
        else if (_options.PlanOfPrice(item?.Price?.Id) is { } changed && (changed.PlanId != row.PlanId || changed.Period != row.BillingPeriod))
        {
            // Changed in the Customer Portal: another plan or period.
            Audit(row, "billing.subscription_plan_changed", eventId, $"{row.PlanId} {row.BillingPeriod} → {changed.PlanId} {changed.Period}");
            row.PlanId = changed.PlanId;
            row.BillingPeriod = changed.Period;
        }

        var now = clock.GetUtcNow();
        var before = (row.Status, row.EndsAt, row.CancelAtPeriodEnd);
        if (deleted || s.Status is "canceled" or "incomplete_expired")
        {
            row.Status = SubscriptionStatus.Ended;
            row.EndsAt = s.EndedAt is { } ended ? Utc(ended) : now;
            row.CancelAtPeriodEnd = false;
            row.GraceEndsAt = null;
        }
        else if (s.Status is "past_due" or "unpaid" or "paused")
        {
            MarkPastDue(row, now);
            row.EndsAt = periodEnd ?? row.EndsAt;
        }
        else if (s.Status is "active" or "trialing")
        {
            var cancelling = s.CancelAtPeriodEnd || s.CancelAt is not null;
            row.Status = cancelling ? SubscriptionStatus.Cancelled : SubscriptionStatus.Active;
            row.CancelAtPeriodEnd = cancelling;
            row.EndsAt = s.CancelAt is { } cancelAt ? Utc(cancelAt) : periodEnd ?? row.EndsAt;
            row.GraceEndsAt = null;
        }

        // "incomplete": the first payment is still open; the row keeps what it had.
        row.ExternalUpdatedAt = at;
        row.UpdatedAt = now;
        if (before != (row.Status, row.EndsAt, row.CancelAtPeriodEnd))
        {
            Audit(row, "billing.subscription_" + Describe(row.Status), eventId, row.EndsAt is { } end ? $"until {end:u}" : null);
        }

        return new Result($"applied: {s.Status}{(row.CancelAtPeriodEnd ? ", cancelled at period end" : "")}", user.Id);
    }

    private async Task<Result> InvoiceAsync(string eventId, Stripe.Invoice invoice, bool paid, DateTimeOffset at, CancellationToken ct)
    {
        if (await CustomerAsync(invoice.CustomerId, ct) is not { } user)
        {
            return new Result("ignored: unknown customer");
        }

        var subscriptionId = invoice.Parent?.SubscriptionDetails?.SubscriptionId;
        if (subscriptionId is null || await RowAsync(user.Id, subscriptionId, ct) is not { } row)
        {
            return new Result("ignored: not for a known subscription");
        }

        if (row.ExternalUpdatedAt > at)
        {
            return new Result("ignored: older than the state already applied", user.Id);
        }

        if (row.Status == SubscriptionStatus.Ended)
        {
            return new Result("ignored: subscription already ended", user.Id);
        }

        var now = clock.GetUtcNow();
        row.ExternalUpdatedAt = at;
        row.UpdatedAt = now;
        if (paid)
        {
            var paidUntil = invoice.Lines?.Data?.Select(l => (DateTimeOffset?)Utc(l.Period.End)).Max();
            if (paidUntil > (row.EndsAt ?? DateTimeOffset.MinValue) && !row.CancelAtPeriodEnd)
            {
                row.EndsAt = paidUntil;
            }

            if (row.Status == SubscriptionStatus.PastDue)
            {
                row.Status = row.CancelAtPeriodEnd ? SubscriptionStatus.Cancelled : SubscriptionStatus.Active;
                row.GraceEndsAt = null;
                Audit(row, "billing.payment_recovered", eventId);
            }

            return new Result("applied: invoice paid", user.Id);
        }

        var first = row.Status != SubscriptionStatus.PastDue;
        MarkPastDue(row, now);
        Audit(row, "billing.payment_failed", eventId, $"grace until {row.GraceEndsAt:u}");
        return new Result("applied: payment failed", user.Id, first ? row.Id : null);
    }

    private void MarkPastDue(Subscription row, DateTimeOffset now)
    {
        if (row.Status != SubscriptionStatus.PastDue || row.GraceEndsAt is null)
        {
            row.GraceEndsAt = now.AddDays(_options.GracePeriodDays);
        }

        row.Status = SubscriptionStatus.PastDue;
    }

    private Task<User?> CustomerAsync(string? customerId, CancellationToken ct) =>
        string.IsNullOrEmpty(customerId) ? Task.FromResult<User?>(null) : db.Users.SingleOrDefaultAsync(u => u.StripeCustomerId == customerId, ct);

    private async Task<Subscription?> RowAsync(Guid userId, string subscriptionId, CancellationToken ct) =>
        db.Subscriptions.Local.FirstOrDefault(s => s.ExternalReference == subscriptionId && s.UserId == userId)
        ?? await db.Subscriptions.SingleOrDefaultAsync(s => s.ExternalReference == subscriptionId && s.UserId == userId, ct);

    /// <summary>The plan, period and network a new subscription is for: from our metadata (checked against the customer) or its price.</summary>
    private async Task<(string? PlanId, string? Period, Guid? NetworkId, string? Error)> TargetAsync(
        User user, Dictionary<string, string>? metadata, string? priceId, CancellationToken ct)
    {
        metadata ??= [];
        if (metadata.TryGetValue(StripeMetadata.UserId, out var owner) && owner != user.Id.ToString())
        {
            return (null, null, null, "ignored: metadata names another account than the customer's");
        }

        var byPrice = _options.PlanOfPrice(priceId);
        var planId = byPrice?.PlanId ?? (metadata.TryGetValue(StripeMetadata.PlanId, out var p) ? p : null);
        var period = byPrice?.Period ?? (metadata.TryGetValue(StripeMetadata.Period, out var per) && BillingPeriods.All.Contains(per) ? per : null);
        var plan = planId is null ? null : await db.Plans.AsNoTracking().SingleOrDefaultAsync(x => x.Id == planId, ct);
        if (plan is null || plan.Id == Plan.FreeId)
        {
            return (null, null, null, $"ignored: unknown plan (price {priceId ?? "none"})");
        }

        Guid? networkId = null;
        if (!plan.AccountWide)
        {
            if (!metadata.TryGetValue(StripeMetadata.NetworkId, out var n) || !Guid.TryParse(n, out var id))
            {
                return (null, null, null, "ignored: no network in the metadata");
            }

            if (!await db.Networks.AnyAsync(x => x.Id == id && x.OwnerId == user.Id, ct))
            {
                return (null, null, null, "ignored: the network is gone or no longer the customer's");
            }

            networkId = id;
        }

        return (plan.Id, period, networkId, null);
    }

    private Subscription NewRow(Guid userId, string subscriptionId, string planId, string? period, Guid? networkId, DateTimeOffset at)
    {
        var now = clock.GetUtcNow();
        var row = new Subscription
        {
            Id = RowId(subscriptionId),
            UserId = userId,
            NetworkId = networkId,
            PlanId = planId,
            Status = SubscriptionStatus.Active,
            Source = SubscriptionSource.Stripe,
            BillingPeriod = period,
            StartedAt = now,
            ExternalReference = subscriptionId,
            ExternalUpdatedAt = at,
            UpdatedAt = now,
        };
        db.Subscriptions.Add(row);
        return row;
    }

    /// <summary>
    /// The row id of a Stripe subscription, derived from its id: two events for a new subscription handled at
    /// the same moment (Stripe sends them concurrently, maybe to two Api nodes) cannot both insert a row; the
    /// second save fails, answers 500, and Stripe's retry then finds the row.
    /// </summary>
    public static Guid RowId(string subscriptionId)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("stripe-subscription:" + subscriptionId), hash);
        hash[7] = (byte)((hash[7] & 0x0F) | 0x80); // version 8 (vendor-specific), as Guid's little-endian layout stores it
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(hash[..16]);
    }

    private void Audit(Subscription row, string action, string eventId, string? details = null) =>
        audit.Record(null, action, "subscription", row.Id,
            $"{row.PlanId}{(row.NetworkId is { } n ? $" network {n}" : " account-wide")} {row.ExternalReference} ({eventId}){(details is null ? "" : ": " + details)}");

    private static string Describe(SubscriptionStatus status) => status switch
    {
        SubscriptionStatus.Active => "active",
        SubscriptionStatus.PastDue => "past_due",
        SubscriptionStatus.Cancelled => "cancelled",
        _ => "ended",
    };

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
