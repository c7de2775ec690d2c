using System.Net;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Config;

/// <summary>One [Peer] section.</summary>
public sealed record PeerSection
{
    public required NodeKey PublicKey { get; init; }

    public PresharedKey? PresharedKey { get; init; }

    /// <summary>Where to reach the peer first (host names are resolved when the file is read).</summary>
    public IPEndPoint? Endpoint { get; init; }

    /// <summary>Overlay prefixes the peer may send from and that route to it (host bits cleared).</summary>
    public IReadOnlyList<IPNetwork> AllowedIps { get; init; } = [];

    /// <summary>Keepalive interval; null = off.</summary>
    public TimeSpan? PersistentKeepalive { get; init; }

    /// <summary>Line of the section header, for messages about the peer as a whole.</summary>
    public int Line { get; init; }
}
