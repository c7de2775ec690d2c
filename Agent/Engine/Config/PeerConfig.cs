using System.Net;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Engine.Config;

/// <summary>One peer, in the shape of a wg-quick [Peer] section.</summary>
public sealed record PeerConfig
{
    /// <summary>The peer's static public key: its identity.</summary>
    public required NodeKey PublicKey { get; init; }

    /// <summary>Optional preshared key mixed into the handshake (post-quantum hedge).</summary>
    public PresharedKey? PresharedKey { get; init; }

    /// <summary>Where to send handshakes first; null until the peer contacts us. Roaming updates it.</summary>
    public IPEndPoint? Endpoint { get; init; }

    /// <summary>The overlay prefixes this peer may send from and that route to it.</summary>
    public IReadOnlyList<IPNetwork> AllowedIps { get; init; } = [];

    /// <summary>Send a keepalive after this long without sending (keeps NAT mappings open); null = off.</summary>
    public TimeSpan? PersistentKeepalive { get; init; }
}
