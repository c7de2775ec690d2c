namespace HamachiCloud.Api.Contracts.Billing;

/// <summary>
/// One of the account's subscriptions, bought (<see cref="Source"/> "stripe") or granted by staff
/// ("grant"), live or ended. <see cref="Status"/>: active, past_due, cancelled, ended.
/// <see cref="NetworkId"/> null = account-wide.
/// </summary>
public sealed record SubscriptionDto(
    Guid Id,
    string PlanId,
    string PlanName,
    Guid? NetworkId,
    string? NetworkName,
    string Status,
    string Source,
    string? BillingPeriod,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndsAt,
    bool CancelAtPeriodEnd,
    DateTimeOffset? GraceEndsAt,
    string? Reason);
