using HamachiCloud.Api.Contracts.Billing;

namespace HamachiCloud.Api.Billing;

/// <summary>The plans as the plans page compares them: limits from the database, prices from <see cref="BillingOptions"/>.</summary>
internal static class PlanCatalog
{
    private static readonly string[] Order = [Plan.FreeId, Plan.StandardId, Plan.PremiumId, Plan.MultiNetworkId];

    public static List<PlanOfferDto> Offers(IEnumerable<Plan> plans, BillingOptions options) =>
        plans.OrderBy(p => Array.IndexOf(Order, p.Id) is var i && i < 0 ? int.MaxValue : i)
            .Select(p =>
            {
                options.Plans.TryGetValue(p.Id, out var pricing);
                return new PlanOfferDto(
                    p.Id, p.Name, p.MaxMembersPerNetwork, p.AccountWide, p.PremiumFeatures, p.RelayKbps, Features(p),
                    options.Currency.ToUpperInvariant(),
                    p.Id == Plan.FreeId ? 0 : pricing is { MonthlyCents: > 0 } ? pricing.MonthlyCents : null,
                    p.Id == Plan.FreeId ? 0 : pricing is { YearlyCents: > 0 } ? pricing.YearlyCents : null,
                    options.Configured && options.PriceId(p.Id, BillingPeriods.Monthly) is not null,
                    options.Configured && options.PriceId(p.Id, BillingPeriods.Yearly) is not null);
            })
            .ToList();

    public static List<string> Features(Plan p)
    {
        var features = new List<string>
        {
            p.AccountWide ? $"Up to {p.MaxMembersPerNetwork} members on every network you own" : $"Up to {p.MaxMembersPerNetwork} members per network",
            p.RelayKbps >= 1000 ? $"Relay bandwidth {p.RelayKbps / 1000} Mbit/s per flow" : $"Relay bandwidth {p.RelayKbps} kbit/s per flow",
        };
        if (p.PremiumFeatures)
        {
            features.Add("Gateway networks and LAN routes");
            features.Add("Join approval workflow with email notifications");
            features.Add("Audit log export");
        }

        return features;
    }
}
