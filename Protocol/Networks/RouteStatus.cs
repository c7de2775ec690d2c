namespace HamachiCloud.Protocol.Networks;

/// <summary>Where a LAN prefix advertised by a gateway device stands: members get a route to it only once approved.</summary>
public enum RouteStatus
{
    Pending = 0,
    Approved = 1,
    Rejected = 2,
}
