namespace HamachiCloud.Api.Contracts.Billing;

/// <summary>
/// POST /api/v1/billing/checkout: buy <see cref="Plan"/> (standard, premium, multi-network) for
/// <see cref="Period"/> (monthly, yearly). Per-network plans need <see cref="NetworkId"/>, a network
/// the caller owns; the account-wide Multi-network plan takes none.
/// </summary>
public sealed record CheckoutRequest(string Plan, string Period, Guid? NetworkId = null);
