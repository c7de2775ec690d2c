namespace HamachiCloud.Data.Entities;

public enum SubscriptionStatus
{
    Active = 0,

    /// <summary>A payment failed: the plan applies until <see cref="Subscription.GraceEndsAt"/>.</summary>
    PastDue = 1,

    /// <summary>Cancelled at period end: the plan applies until <see cref="Subscription.EndsAt"/>.</summary>
    Cancelled = 2,

    /// <summary>Over: the plan no longer applies. Kept for the history.</summary>
    Ended = 3,
}
