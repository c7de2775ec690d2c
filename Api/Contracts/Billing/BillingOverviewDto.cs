namespace HamachiCloud.Api.Contracts.Billing;

/// <summary>
/// GET /api/v1/billing: the plans, whether payments are set up (<see cref="Configured"/>; when not,
/// plans are granted by support staff), whether the account has a Stripe customer (the Customer
/// Portal works), its subscriptions and its networks' plans with usage, and the bytes relayed this UTC month over
/// all of them (<see cref="RelayBytesThisMonth"/>).
/// </summary>
public sealed record BillingOverviewDto(
    bool Configured,
    bool HasBillingAccount,
    IReadOnlyList<PlanOfferDto> Plans,
    IReadOnlyList<SubscriptionDto> Subscriptions,
    IReadOnlyList<NetworkPlanDto> Networks,
    long RelayBytesThisMonth = 0);
