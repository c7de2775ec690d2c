using System.Net;

namespace HamachiCloud.Protocol.Routing;

/// <summary>
/// Pure: whether a gateway route is private (needs no member's consent) or public (reaches the
/// Internet, so a member's device installs it only when it accepts public routes). A prefix is
/// private when it lies wholly inside one of <see cref="PrivateRanges"/>: RFC 1918, shared address
/// space 100.64.0.0/10 (the overlay pool is refused separately), benchmarking 198.18.0.0/15 (the lab's
/// LANs), and IPv6 unique local fc00::/7. Everything else is public, the documentation ranges included
/// (they stand for the Internet in tests), and so is a prefix that straddles a private range (172.0.0.0/8).
/// The server and the agent both decide with this one function.
/// </summary>
public static class RouteScope
{
    public static readonly IReadOnlyList<IPNetwork> PrivateRanges =
    [
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("fc00::/7"),
    ];

    /// <summary>True unless <paramref name="prefix"/> lies wholly inside a private range.</summary>
    public static bool IsPublic(IPNetwork prefix)
    {
        foreach (var range in PrivateRanges)
        {
            if (Contains(range, prefix))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The textual form: false only for a parsable prefix wholly inside a private range (deny on anything unexpected).</summary>
    public static bool IsPublic(string prefix) => !IPNetwork.TryParse(prefix, out var parsed) || IsPublic(parsed);

    /// <summary>Whether <paramref name="outer"/> contains all of <paramref name="inner"/> (same family).</summary>
    public static bool Contains(IPNetwork outer, IPNetwork inner) =>
        outer.BaseAddress.AddressFamily == inner.BaseAddress.AddressFamily
        && inner.PrefixLength >= outer.PrefixLength
        && outer.Contains(inner.BaseAddress);
}
