namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>How traffic to a peer travels now.</summary>
public enum PathKind
{
    /// <summary>No path yet (no relay binding and no direct answer).</summary>
    None,
    Relay,
    Direct,
}
