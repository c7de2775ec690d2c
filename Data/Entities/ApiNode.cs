namespace HamachiCloud.Data.Entities;

/// <summary>
/// A running Api node (one row per process start) and its last heartbeat. A node whose heartbeat
/// is older than the timeout is considered dead: another node takes its row away and treats its
/// devices' control sessions as lost (peers verify them; offline after the grace period).
/// </summary>
public class ApiNode
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset HeartbeatAt { get; set; }
}
