namespace HamachiCloud.Data.Entities;

/// <summary>
/// An account's membership of a network. All of the account's devices take part through it.
/// One row per (network, user); a rejected or evicted row is kept for the audit trail and
/// reactivated by a later successful join.
/// </summary>
public class Membership
{
    public Guid Id { get; set; }
    public Guid NetworkId { get; set; }
    public Network? Network { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }
    public MemberRole Role { get; set; }
    public HubRole HubRole { get; set; }
    public MemberStatus Status { get; set; }

    /// <summary>The name other members see; defaults to the account's display name.</summary>
    public string? Nickname { get; set; }

    /// <summary>
    /// Active, but over the network's plan limit after a downgrade or lapse: left out of every map
    /// (tunnels torn down, shown as "inactive: over plan limit") until an upgrade or the owner's choice.
    /// Nothing is deleted.
    /// </summary>
    public bool OverPlanLimit { get; set; }

    /// <summary>The owner chose this member to stay active when the plan's limit is smaller than the members.</summary>
    public bool KeepActive { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
