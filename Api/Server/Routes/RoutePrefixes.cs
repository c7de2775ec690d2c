using System.Globalization;
using System.Net;
using System.Net.Sockets;
using HamachiCloud.Protocol.Routing;

namespace HamachiCloud.Api.Routes;

/// <summary>
/// Pure: checks a LAN prefix a gateway advertises. It must be a CIDR whose host bits are zero
/// (the canonical text is what is stored and compared), IPv4 or IPv6, and must not overlap the
/// overlay pools (that would hijack members' virtual addresses) nor any range that is never a LAN:
/// this-network, loopback, link-local, multicast and reserved, IPv4-mapped IPv6. The overlap rule
/// also refuses default routes and anything as wide as /1 — no exit node through a gateway. Then the
/// scope (<see cref="RouteScope"/>): a public prefix (outside the private and ULA ranges) only where the
/// network allows public routes, and no prefix wider than <see cref="RouteOptions"/> lets its scope be.
/// </summary>
internal static class RoutePrefixes
{
    private static readonly (IPNetwork Range, string Why)[] Reserved =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "this-network"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("224.0.0.0/3"), "multicast and reserved"),
        (IPNetwork.Parse("::/127"), "unspecified and loopback"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    /// <summary>
    /// The canonical prefix, or null with the reason (a sentence naming the value) it is refused.
    /// <paramref name="overlays"/> are the deployment's address pools (IPv4 pool and IPv6 ULA);
    /// <paramref name="allowPublic"/>: the network allows public routes.
    /// </summary>
    public static IPNetwork? Check(string? text, IReadOnlyList<IPNetwork> overlays, RouteOptions limits, bool allowPublic, out string? error)
    {
        error = null;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash < 0 || !IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            || (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
            || (address.AddressFamily == AddressFamily.InterNetwork && text[..slash].Count(c => c == '.') != 3))
        {
            error = $"'{text}' is not a CIDR (e.g. 198.51.100.0/24 or 2001:db8:1::/64)";
            return null;
        }

        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (length > max)
        {
            error = $"'{text}': prefix length {length} is longer than {max}";
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            error = $"'{text}' is IPv4-mapped IPv6; advertise the IPv4 prefix instead";
            return null;
        }

        var network = Mask(address, length);
        if (!network.BaseAddress.Equals(address))
        {
            error = $"'{text}' has host bits set; the network is {network}";
            return null;
        }

        foreach (var overlay in overlays)
        {
            if (Overlap(network, overlay))
            {
                error = $"'{text}' overlaps the overlay address pool {overlay}";
                return null;
            }
        }

        foreach (var (range, why) in Reserved)
        {
            if (Overlap(network, range))
            {
                error = $"'{text}' overlaps {range} ({why}): not a LAN prefix a gateway can serve";
                return null;
            }
        }

        var v4 = address.AddressFamily == AddressFamily.InterNetwork;
        var isPublic = RouteScope.IsPublic(network);
        if (isPublic && !allowPublic)
        {
            error = $"'{text}' is a public prefix (outside {string.Join(", ", RouteScope.PrivateRanges)}): " +
                "the network does not allow public routes (its owner can turn on allowPublicRoutes; each member's device must still accept them)";
            return null;
        }

        var (shortest, key) = (isPublic, v4) switch
        {
            (false, true) => (limits.MinPrivatePrefixLengthV4, nameof(RouteOptions.MinPrivatePrefixLengthV4)),
            (false, false) => (limits.MinPrivatePrefixLengthV6, nameof(RouteOptions.MinPrivatePrefixLengthV6)),
            (true, true) => (limits.MinPublicPrefixLengthV4, nameof(RouteOptions.MinPublicPrefixLengthV4)),
            (true, false) => (limits.MinPublicPrefixLengthV6, nameof(RouteOptions.MinPublicPrefixLengthV6)),
        };
        if (length < shortest)
        {
            error = $"'{text}' is wider than /{shortest}, the widest {(isPublic ? "public" : "private")} {(v4 ? "IPv4" : "IPv6")} route this server allows ({RouteOptions.Section}:{key})";
            return null;
        }

        return network;
    }

    /// <summary>Whether one prefix contains the other (same family).</summary>
    public static bool Overlap(IPNetwork a, IPNetwork b) =>
        a.BaseAddress.AddressFamily == b.BaseAddress.AddressFamily && (a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress));

    private static IPNetwork Mask(IPAddress address, int length)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPNetwork(new IPAddress(bytes), length);
    }
}
