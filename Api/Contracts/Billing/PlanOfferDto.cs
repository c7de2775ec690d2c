namespace HamachiCloud.Api.Contracts.Billing;

/// <summary>
/// A plan as the plans page compares them: limits, features in words, display prices (cents of
/// <see cref="Currency"/>; null when not configured) and whether it can be bought now
/// (<see cref="Buyable"/>: billing set up and a Stripe price configured).
/// </summary>
public sealed record PlanOfferDto(
    string Id,
    string Name,
    int MaxMembersPerNetwork,
    bool AccountWide,
    bool PremiumFeatures,
    int RelayKbps,
    IReadOnlyList<string> Features,
    string Currency,
    int? MonthlyCents,
    int? YearlyCents,
    bool BuyableMonthly,
    bool BuyableYearly);
