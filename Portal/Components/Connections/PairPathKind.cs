namespace HamachiCloud.Portal.Components.Connections;

/// <summary>How a pair of devices reaches each other, as the Portal draws it (data-path: <see cref="PairPaths.Attribute"/>).</summary>
public enum PairPathKind
{
    /// <summary>No path report from either side (yet, or for 3 minutes): never drawn as healthy.</summary>
    Unknown,

    Direct,
    RelayUdp,
    RelayWebSocket,
    None,
}
