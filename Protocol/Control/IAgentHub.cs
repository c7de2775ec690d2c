using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Protocol.Control;

/// <summary>
/// Agent → server calls (methods of the AgentHub; clients invoke them by <c>nameof</c>). Every
/// call except <see cref="Hello"/> and <see cref="Login"/> requires a completed login on the
/// same connection. Only grows.
/// </summary>
public interface IAgentHub
{
    Task<HelloResponse> Hello(HelloRequest request);

    Task<LoginResponse> Login(LoginRequest request);

    Task ReportDiscovery(DiscoveryReport report);

    /// <summary>Asks for a full map (e.g. after a delta whose FromVersion did not match).</summary>
    Task RequestNetworkMap();

    Task<CommandResult> CreateNetwork(string name, NetworkType type, string? password);

    Task<CommandResult> JoinNetwork(string networkId, string? password);

    Task<CommandResult> LeaveNetwork(string networkId);

    Task<CommandResult> SetOnline(string networkId, bool online);

    Task<CommandResult> SetNickname(string nickname);

    /// <summary>
    /// Replaces the LAN prefixes this device advertises in a gateway network (an empty list withdraws
    /// them all). Only a gateway device (of a hub-role member) may advertise; new prefixes wait for a
    /// network admin's approval, already decided ones keep their status.
    /// </summary>
    Task<CommandResult> AdvertiseRoutes(string networkId, string[] prefixes);

    /// <summary>
    /// Whether this device accepts public gateway routes (prefixes outside the private and ULA ranges,
    /// <see cref="Routing.RouteScope"/>). Off by default; while off, the server leaves them out of this
    /// device's map (and the agent refuses them on its own as well).
    /// </summary>
    Task<CommandResult> SetAcceptRoutes(bool accept);

    /// <summary>
    /// Relay tokens for the pair (this device → the peer with node key <paramref name="peerNodeKey"/>, base64 or
    /// nodekey:hex), one per live relay, only when the caller's current map lets it reach that peer.
    /// </summary>
    Task<RelayTokenGrant> GetRelayTokens(string peerNodeKey);

    /// <summary>The agent's current paths to its peers (direct, relay or none; candidates tried; why not direct; RTT).</summary>
    Task ReportPaths(PathReport report);

    /// <summary>Clean goodbye: the server marks this device offline at once instead of asking peers to verify it.</summary>
    Task Goodbye();
}
