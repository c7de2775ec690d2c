namespace HamachiCloud.Protocol.Networks;

/// <summary>Who may reach whom inside a network.</summary>
public enum NetworkType
{
    /// <summary>Every member reaches every other member.</summary>
    Mesh = 0,

    /// <summary>Spokes reach hubs only; hubs reach everyone.</summary>
    HubAndSpoke = 1,

    /// <summary>Members reach the gateway (and the LAN behind it) only.</summary>
    Gateway = 2,
}
