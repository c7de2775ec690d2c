namespace HamachiCloud.Protocol.Control;

/// <summary>
/// Server → agent calls (the server's <c>Hub&lt;IAgentClient&gt;</c>). Only grows: methods are
/// never removed or renamed; their records only gain optional members.
/// </summary>
public interface IAgentClient
{
    /// <summary>The full signed network map (after login, and whenever a delta cannot apply).</summary>
    Task NetworkMap(SignedMessage map);

    /// <summary>A signed <see cref="NetworkMapDelta"/>, batched per server tick.</summary>
    Task NetworkMapDelta(SignedMessage delta);

    /// <summary>The server lost these peers unexpectedly; verify them directly.</summary>
    Task VerifyPeers(VerifyPeersRequest request);

    /// <summary>The server ends the session (device deleted, banned, key expired); the CLI shows the reason.</summary>
    Task Goodbye(string errorCode, string reason);

    /// <summary>
    /// The relay tokens the agent holds no longer say what it may use (a network's plan changed, and with it the relay
    /// bandwidth its tokens carry): fetch new ones now instead of at their expiry.
    /// </summary>
    Task RelayTokensChanged();
}
