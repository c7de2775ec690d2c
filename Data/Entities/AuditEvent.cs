namespace HamachiCloud.Data.Entities;

/// <summary>One thing that happened, who did it and to what. Append-only.</summary>
public class AuditEvent
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public Guid? ActorUserId { get; set; }

    /// <summary>Stable dotted code, e.g. "network.created", "member.evicted".</summary>
    public string Action { get; set; } = "";

    public string TargetType { get; set; } = "";
    public string TargetId { get; set; } = "";
    public string? Details { get; set; }
    public string? IpAddress { get; set; }

    /// <summary>The network the event belongs to, if any: its owner sees the event in the Portal's audit page.</summary>
    public Guid? NetworkId { get; set; }
}
