namespace HamachiCloud.Api.Contracts.Billing;

/// <summary>Where to send the browser: a Stripe Checkout page or the Stripe Customer Portal.</summary>
public sealed record BillingRedirectDto(string Url);
