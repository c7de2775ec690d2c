namespace HamachiCloud.Data.Entities;

/// <summary>
/// A paid plan, bought through Stripe Checkout or granted by support staff. It applies to one
/// network (<see cref="NetworkId"/> set) or, for account-wide plans (Multi-network), to every
/// network the account owns (<see cref="NetworkId"/> null). Rows are never deleted: an ended
/// subscription stays with <see cref="SubscriptionStatus.Ended"/> for the billing history.
/// </summary>
public class Subscription
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }

    /// <summary>The network the plan applies to; null for an account-wide plan.</summary>
    public Guid? NetworkId { get; set; }
    public Network? Network { get; set; }

    public string PlanId { get; set; } = Plan.FreeId;
    public Plan? Plan { get; set; }
    public SubscriptionStatus Status { get; set; }
    public SubscriptionSource Source { get; set; }

    /// <summary>"monthly" or "yearly" for bought plans; null for grants.</summary>
    public string? BillingPeriod { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    /// <summary>End of the paid period or of the grant; null = open-ended.</summary>
    public DateTimeOffset? EndsAt { get; set; }

    /// <summary>Cancelled by the customer: stays active until <see cref="EndsAt"/>, then ends.</summary>
    public bool CancelAtPeriodEnd { get; set; }

    /// <summary>While <see cref="SubscriptionStatus.PastDue"/>: the plan still applies until then.</summary>
    public DateTimeOffset? GraceEndsAt { get; set; }

    /// <summary>The Stripe subscription id (sub_…), or null when granted by hand.</summary>
    public string? ExternalReference { get; set; }

    /// <summary>The newest Stripe object timestamp applied, so an older event delivered late changes nothing.</summary>
    public DateTimeOffset? ExternalUpdatedAt { get; set; }

    public Guid? GrantedById { get; set; }

    /// <summary>Why staff granted, extended or ended it (required for grants).</summary>
    public string? Reason { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
