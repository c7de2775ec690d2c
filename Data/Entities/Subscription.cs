namespace HamachiCloud.Data.Entities;

/// <summary>An account's paid plan, bought through checkout or granted by support staff.</summary>
public class Subscription
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }
    public string PlanId { get; set; } = Plan.FreeId;
    public Plan? Plan { get; set; }
    public SubscriptionStatus Status { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndsAt { get; set; }

    /// <summary>The payment provider's reference, or null when granted by hand.</summary>
    public string? ExternalReference { get; set; }

    public Guid? GrantedById { get; set; }
}
