namespace HamachiCloud.Api.Live;

/// <summary>
/// SignalR group names of the <see cref="PortalHub"/>: per network one group per view (managers see
/// every row, members the active ones) and one group per account (its network list).
/// </summary>
internal static class LiveGroups
{
    public static string Network(Guid networkId, bool manager) =>
        "portal:network:" + networkId.ToString("N") + (manager ? ":managers" : ":members");

    public static string Account(Guid userId) => "portal:account:" + userId.ToString("N");
}
