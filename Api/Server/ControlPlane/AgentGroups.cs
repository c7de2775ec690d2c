namespace HamachiCloud.Api.ControlPlane;

/// <summary>SignalR group names: one per device (its live session, on whichever node) and one per network.</summary>
internal static class AgentGroups
{
    public static string Device(Guid deviceId) => "device:" + deviceId.ToString("N");

    public static string Network(Guid networkId) => "network:" + networkId.ToString("N");
}
