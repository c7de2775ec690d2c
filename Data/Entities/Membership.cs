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

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
