namespace HamachiCloud.Api.Billing;

/// <summary>
/// The metadata keys the Api puts on Checkout sessions and their subscriptions, so the webhooks can
/// tell which account, network and plan a subscription is for.
/// </summary>
internal static class StripeMetadata
{
    public const string UserId = "hamachi_user_id";
    public const string NetworkId = "hamachi_network_id";
    public const string PlanId = "hamachi_plan";
    public const string Period = "hamachi_period";
}
