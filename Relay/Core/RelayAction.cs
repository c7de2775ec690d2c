namespace HamachiCloud.Relay.Core;

/// <summary>What the socket loop must do with a datagram.</summary>
public enum RelayActionKind
{
    /// <summary>Nothing to send.</summary>
    Drop,

    /// <summary>Send the output bytes back to the sender (BindOk, Refused).</summary>
    Reply,

    /// <summary>Send the output bytes (a Recv frame) to <see cref="RelayAction.To"/>.</summary>
    Forward,
}

/// <summary>
/// The core's decision: <see cref="Length"/> bytes of the caller's output buffer go to the sender (Reply) or to
/// <see cref="To"/> (Forward). <see cref="Reason"/> names why a datagram was refused (Reply with Refused) or dropped.
/// </summary>
public readonly record struct RelayAction(RelayActionKind Kind, RelaySource To, int Length, RelayDropReason Reason)
{
    public static RelayAction Dropped(RelayDropReason reason) => new(RelayActionKind.Drop, default, 0, reason);
}
