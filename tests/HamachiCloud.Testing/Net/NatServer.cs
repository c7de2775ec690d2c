using System.Net;

namespace HamachiCloud.Testing.Net;

/// <summary>
/// The lab's server namespace (relay, STUN, Api) with its two public addresses: <see cref="Primary"/>
/// (203.0.113.10) and <see cref="Secondary"/> (198.51.100.10), as NAT classification needs.
/// </summary>
public sealed record NatServer(NetworkNamespace Namespace, IPAddress Primary, IPAddress Secondary);
