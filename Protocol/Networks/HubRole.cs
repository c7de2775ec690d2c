namespace HamachiCloud.Protocol.Networks;

/// <summary>A member's place in a hub-and-spoke network (ignored by other network types).</summary>
public enum HubRole
{
    Spoke = 0,
    Hub = 1,
}
