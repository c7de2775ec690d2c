namespace HamachiCloud.Protocol.Networks;

/// <summary>Where a membership stands. Only <see cref="Active"/> members count as connected peers.</summary>
public enum MemberStatus
{
    Pending = 0,
    Active = 1,
    Rejected = 2,
    Evicted = 3,
}
