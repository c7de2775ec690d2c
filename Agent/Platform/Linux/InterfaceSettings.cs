using System.Net;

namespace HamachiCloud.Agent.Platform.Linux;

/// <summary>What <see cref="LinuxInterface.Configure"/> applies to an interface.</summary>
public sealed record InterfaceSettings
{
    /// <summary>Interface addresses with their prefix (e.g. 100.64.0.1/10): address + on-link subnet.</summary>
    public IReadOnlyList<InterfaceAddress> Addresses { get; init; } = [];

    public int Mtu { get; init; } = LinuxTun.DefaultMtu;

    /// <summary>Extra routes via the interface (e.g. peers' AllowedIPs outside the address prefixes).</summary>
    public IReadOnlyList<IPNetwork> Routes { get; init; } = [];

    /// <summary>Route 224.0.0.0/4 (and ff00::/8 with IPv6) via the interface so multicast leaves through it.</summary>
    public bool RouteMulticast { get; init; } = true;

    /// <summary>
    /// Route 255.255.255.255/32 via the interface, so a limited broadcast from an unbound socket leaves
    /// through it (a socket bound to the interface address uses it anyway). Off by default: it takes
    /// limited broadcast away from the other interfaces.
    /// </summary>
    public bool RouteLimitedBroadcast { get; init; }
}
