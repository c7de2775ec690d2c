namespace HamachiCloud.Protocol.Control;

/// <summary>
/// Constants of the agent ⇄ server control channel (SignalR over WebSockets, MessagePack).
/// Version history (dated; numbers are never reused):
/// 1 — 2026-11-26: hello/login mutual challenge–response, signed network maps and deltas.
///     Grown without a new number (optional members only): 2026-11-27 gateway routes
///     (<c>AdvertiseRoutes</c>, <c>NetworkInfo.Routes</c>, prefixes in <c>PeerInfo.AllowedIps</c>);
///     2026-12-03 public gateway routes (<c>SetAcceptRoutes</c>, <c>RouteInfo.Public</c>, <c>NetworkMap.AcceptPublicRoutes</c>).
/// </summary>
public static class ControlProtocol
{
    public const int Version = 1;

    /// <summary>Versions this build speaks, newest first.</summary>
    public static readonly int[] SupportedVersions = [1];

    /// <summary>Hub path on the Api.</summary>
    public const string HubPath = "/control";

    public const int NonceSize = 32;

    /// <summary>How long a signed network map may be used from cache after it was issued.</summary>
    public static readonly TimeSpan MapLifetime = TimeSpan.FromDays(7);
}
