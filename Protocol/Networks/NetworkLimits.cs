namespace HamachiCloud.Protocol.Networks;

/// <summary>Limits on names and ids shared by the server, the clients and the agent.</summary>
public static class NetworkLimits
{
    /// <summary>Network names, device names, nicknames and display names.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Network passwords (in characters, before hashing).</summary>
    public const int MaxPasswordLength = 128;

    /// <summary>LAN prefixes one gateway device may advertise in one gateway network.</summary>
    public const int MaxGatewayRoutes = 16;
}
