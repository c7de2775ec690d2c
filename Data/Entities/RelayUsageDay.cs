namespace HamachiCloud.Data.Entities;

/// <summary>Bytes relayed for one network on one UTC day (rolled up from the relays' reports for the billing page).</summary>
public class RelayUsageDay
{
    public long Id { get; set; }
    public Guid NetworkId { get; set; }

    /// <summary>The network's owner when the bytes were relayed (the account billed).</summary>
    public Guid OwnerUserId { get; set; }

    public DateOnly Day { get; set; }
    public long Bytes { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
