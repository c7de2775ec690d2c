namespace HamachiCloud.Data.Entities;

/// <summary>A Stripe webhook event already processed: its id is the key, so a redelivery or a replay changes nothing.</summary>
public class StripeEvent
{
    public const int MaxIdLength = 255;

    /// <summary>Stripe's event id (evt_…).</summary>
    public string Id { get; set; } = "";
    public string Type { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }

    /// <summary>What the event did, e.g. "applied", "ignored: unknown customer".</summary>
    public string Outcome { get; set; } = "";
}
