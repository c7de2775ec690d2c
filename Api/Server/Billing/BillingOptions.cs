using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Billing;

/// <summary>
/// Section <c>Billing</c>: payments through Stripe. Without <see cref="SecretKey"/> (the embedded
/// default) billing is "not set up": the pages say so, Checkout and the Customer Portal answer 409
/// <c>billing_not_configured</c>, the webhook answers 503, and support staff grant plans by hand.
/// Price ids and display prices live here, never in code.
/// </summary>
public sealed class BillingOptions
{
    public const string Section = "Billing";

    /// <summary>The Stripe secret key (sk_… or a restricted rk_…); empty = billing not set up.</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>The webhook endpoint's signing secret (whsec_…); required with <see cref="SecretKey"/>.</summary>
    public string WebhookSecret { get; set; } = "";

    /// <summary>Stripe's API root; only tests point it elsewhere (a local stand-in).</summary>
    public string ApiBase { get; set; } = "https://api.stripe.com";

    /// <summary>How long a past-due subscription keeps its plan after a failed payment.</summary>
    public int GracePeriodDays { get; set; } = 7;

    /// <summary>How many days before a renewal the reminder mail goes out.</summary>
    public int RenewalReminderDays { get; set; } = 7;

    /// <summary>Currency of the display prices (ISO 4217, e.g. EUR).</summary>
    public string Currency { get; set; } = "EUR";

    /// <summary>Per buyable plan id (standard, premium, multi-network): Stripe price ids and display prices.</summary>
    public Dictionary<string, PlanPricing> Plans { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Stripe is configured: Checkout, the Customer Portal and webhooks work.</summary>
    public bool Configured => !string.IsNullOrWhiteSpace(SecretKey);

    /// <summary>The Stripe price id for a plan and period, or null when none is configured.</summary>
    public string? PriceId(string planId, string period)
    {
        if (!Plans.TryGetValue(planId, out var p))
        {
            return null;
        }

        var id = period == Contracts.Billing.BillingPeriods.Yearly ? p.YearlyPriceId : p.MonthlyPriceId;
        return string.IsNullOrWhiteSpace(id) ? null : id;
    }

    /// <summary>Which plan and period a Stripe price id stands for (webhooks carry prices, not plans).</summary>
    public (string PlanId, string Period)? PlanOfPrice(string? priceId)
    {
        if (string.IsNullOrEmpty(priceId))
        {
            return null;
        }

        foreach (var (plan, p) in Plans)
        {
            if (p.MonthlyPriceId == priceId)
            {
                return (plan.ToLowerInvariant(), Contracts.Billing.BillingPeriods.Monthly);
            }

            if (p.YearlyPriceId == priceId)
            {
                return (plan.ToLowerInvariant(), Contracts.Billing.BillingPeriods.Yearly);
            }
        }

        return null;
    }

    public sealed class PlanPricing
    {
        public string MonthlyPriceId { get; set; } = "";
        public string YearlyPriceId { get; set; } = "";

        /// <summary>Shown on the plans page, in cents of <see cref="Currency"/>; 0 = not shown.</summary>
        public int MonthlyCents { get; set; }

        public int YearlyCents { get; set; }
    }

    internal static readonly string[] BuyablePlans = [Plan.StandardId, Plan.PremiumId, Plan.MultiNetworkId];

    internal sealed class Validator : IValidateOptions<BillingOptions>
    {
        public ValidateOptionsResult Validate(string? name, BillingOptions o)
        {
            var failures = new List<string>();
            if (o.Configured && !(o.SecretKey.StartsWith("sk_", StringComparison.Ordinal) || o.SecretKey.StartsWith("rk_", StringComparison.Ordinal)))
            {
                failures.Add($"{Section}:SecretKey must be a Stripe secret key (sk_…) or restricted key (rk_…)");
            }

            if (o.Configured && string.IsNullOrWhiteSpace(o.WebhookSecret))
            {
                failures.Add($"{Section}:WebhookSecret is required with {Section}:SecretKey (the webhook endpoint's signing secret, whsec_…)");
            }

            if (!Uri.TryCreate(o.ApiBase, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https") || o.ApiBase.EndsWith('/'))
            {
                failures.Add($"{Section}:ApiBase: '{o.ApiBase}' must be an absolute http(s) URL without a trailing slash");
            }

            if (o.GracePeriodDays is < 0 or > 60)
            {
                failures.Add($"{Section}:GracePeriodDays must be 0..60 (got {o.GracePeriodDays})");
            }

            if (o.RenewalReminderDays is < 1 or > 60)
            {
                failures.Add($"{Section}:RenewalReminderDays must be 1..60 (got {o.RenewalReminderDays})");
            }

            if (o.Currency.Length != 3 || !o.Currency.All(char.IsAsciiLetter))
            {
                failures.Add($"{Section}:Currency: '{o.Currency}' must be a three-letter ISO 4217 code (e.g. EUR)");
            }

            var priceIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (plan, p) in o.Plans)
            {
                if (!BuyablePlans.Contains(plan, StringComparer.OrdinalIgnoreCase))
                {
                    failures.Add($"{Section}:Plans:{plan}: unknown plan (buyable plans: {string.Join(", ", BuyablePlans)})");
                    continue;
                }

                foreach (var (key, id) in new[] { ("MonthlyPriceId", p.MonthlyPriceId), ("YearlyPriceId", p.YearlyPriceId) })
                {
                    if (string.IsNullOrEmpty(id))
                    {
                        continue;
                    }

                    if (id.Any(char.IsWhiteSpace) || id.Length > 255)
                    {
                        failures.Add($"{Section}:Plans:{plan}:{key}: '{id}' is not a Stripe price id (e.g. price_1Abc…)");
                    }
                    else if (!priceIds.Add(id))
                    {
                        failures.Add($"{Section}:Plans:{plan}:{key}: price id '{id}' is used twice (each price stands for one plan and period)");
                    }
                }

                if (p.MonthlyCents < 0 || p.YearlyCents < 0)
                {
                    failures.Add($"{Section}:Plans:{plan}: MonthlyCents and YearlyCents must not be negative");
                }
            }

            if (o.Configured && priceIds.Count == 0)
            {
                failures.Add($"{Section}:Plans:<plan>:MonthlyPriceId: at least one Stripe price id is required with {Section}:SecretKey");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
