namespace HamachiCloud.Data.Entities;

public enum SubscriptionSource
{
    /// <summary>Bought through Stripe Checkout; changed by Stripe's webhooks.</summary>
    Stripe = 0,

    /// <summary>Granted by support staff or an admin for a period, with a reason.</summary>
    Grant = 1,
}
