using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Agent.Ipc;

/// <summary>Network type names on the command line: mesh (default), hub-and-spoke, gateway.</summary>
public static class NetworkTypes
{
    public static NetworkType Parse(string? text) => text?.ToLowerInvariant() switch
    {
        null or "" or "mesh" => NetworkType.Mesh,
        "hub-and-spoke" or "hubandspoke" or "hub" => NetworkType.HubAndSpoke,
        "gateway" => NetworkType.Gateway,
        _ => throw new ArgumentException($"--type '{text}': expected mesh, hub-and-spoke or gateway"),
    };
}
