namespace HamachiCloud.Protocol.Networks;

/// <summary>A member's rights inside one network.</summary>
public enum MemberRole
{
    Member = 0,
    Admin = 1,
    Owner = 2,
}
