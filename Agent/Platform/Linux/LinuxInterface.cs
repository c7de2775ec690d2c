using System.Net;
using System.Net.Sockets;

namespace HamachiCloud.Agent.Platform.Linux;

/// <summary>
/// Configures a network interface with iproute2: MTU, addresses (IPv4 with the subnet broadcast address,
/// `brd +`, so applications' subnet broadcasts leave through it), link up, routes, and the multicast
/// routes (224.0.0.0/4, ff00::/8) that make applications' multicast leave through it. Errors name the
/// interface and the failing <c>ip</c> command.
/// </summary>
public static class LinuxInterface
{
    private static readonly IPNetwork MulticastV4 = IPNetwork.Parse("224.0.0.0/4");

    /// <summary>
    /// Applies <paramref name="settings"/> to interface <paramref name="name"/>. <paramref name="netns"/>
    /// names a network namespace (<c>ip -n</c>) for tests and the lab; null means the caller's own.
    /// </summary>
    public static void Configure(string name, InterfaceSettings settings, string? netns = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        IpCommand.Run(netns, "link", "set", "dev", name, "mtu", settings.Mtu.ToString());
        foreach (var address in settings.Addresses)
        {
            var cidr = $"{address.Address}/{address.PrefixLength}";
            if (address.Address.AddressFamily == AddressFamily.InterNetwork)
            {
                IpCommand.Run(netns, "address", "add", cidr, "brd", "+", "dev", name);
            }
            else
            {
                IpCommand.Run(netns, "-6", "address", "add", cidr, "dev", name);
            }
        }

        IpCommand.Run(netns, "link", "set", "dev", name, "up");
        foreach (var route in settings.Routes)
        {
            AddRoute(name, route, netns);
        }

        if (settings.RouteMulticast)
        {
            // IPv6 needs nothing: the kernel adds ff00::/8 (table local) to every IPv6-enabled link.
            AddRoute(name, MulticastV4, netns);
        }

        if (settings.RouteLimitedBroadcast)
        {
            AddRoute(name, IPNetwork.Parse("255.255.255.255/32"), netns);
        }
    }

    /// <summary>Adds (or replaces) a route to <paramref name="destination"/> via the interface.</summary>
    public static void AddRoute(string name, IPNetwork destination, string? netns = null)
    {
        var family = destination.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6 ? "-6" : "-4";
        IpCommand.Run(netns, family, "route", "replace", destination.ToString(), "dev", name);
    }
}
