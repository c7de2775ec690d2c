namespace HamachiCloud.Agent.Ipc;

/// <summary>Command names of the IPC protocol (CLI verbs, as Hamachi users know them).</summary>
public static class IpcCommands
{
    public const string Status = "status";
    public const string List = "list";
    public const string Create = "create";
    public const string Join = "join";
    public const string Leave = "leave";
    public const string GoOnline = "go-online";
    public const string GoOffline = "go-offline";
    public const string SetNick = "set-nick";
    public const string Netcheck = "netcheck";
    public const string AdvertiseRoutes = "advertise-routes";
    public const string SetAcceptRoutes = "set-accept-routes";
}
