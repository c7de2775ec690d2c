using System.Net;
using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// Pure: the candidate endpoints stored for a device from its discovery report — its NAT-mapped
/// (server-reflexive, from STUN) endpoint first, the address the server observed with the agent's
/// UDP port, then its local endpoints — validated ("ip:port", port 1..65535), de-duplicated, at most <see cref="MaxEndpoints"/>,
/// space separated. Anything that does not parse is dropped, and so is anything peers must never be
/// sent to: a non-unicast address (unspecified, broadcast, multicast, 0.0.0.0/8), loopback, and the
/// addresses of this server and of the relays (<paramref name="forbidden"/>), so a device cannot aim its
/// peers' handshakes at a third party's service or at our own infrastructure.
/// </summary>
internal static class DiscoveryEndpoints
{
    public const int MaxEndpoints = 16;

    public static string From(DiscoveryReport? report, IPAddress? observed, IReadOnlySet<IPAddress>? forbidden = null)
    {
        forbidden ??= new HashSet<IPAddress>();
        if (report is null)
        {
            return "";
        }

        var result = new List<string>();
        if (report.Nat?.MappedEndpoint is { } mapped)
        {
            Add(result, mapped, forbidden);
        }

        if (observed is not null && report.ListenPort != 0)
        {
            Add(result, new IPEndPoint(observed.IsIPv4MappedToIPv6 ? observed.MapToIPv4() : observed, report.ListenPort).ToString(), forbidden);
        }

        foreach (var local in report.LocalEndpoints ?? [])
        {
            Add(result, local, forbidden);
        }

        return string.Join(' ', result);
    }

    private static void Add(List<string> result, string? candidate, IReadOnlySet<IPAddress> forbidden)
    {
        if (result.Count < MaxEndpoints
            && candidate is { Length: <= 64 }
            && IPEndPoint.TryParse(candidate, out var endpoint)
            && endpoint.Port != 0
            && IsPeerAddress(Unmapped(endpoint.Address))
            && !forbidden.Contains(Unmapped(endpoint.Address))
            && !result.Contains(endpoint.ToString()))
        {
            result.Add(endpoint.ToString());
        }
    }

    public static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>A unicast address another host can send to: not unspecified, loopback, broadcast, multicast or 0.0.0.0/8.</summary>
    private static bool IsPeerAddress(IPAddress address)
    {
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            var first = address.GetAddressBytes()[0];
            return first is not 0 and < 224; // 0/8 "this network", 224/4 multicast, 240/4 reserved
        }

        return !address.IsIPv6Multicast;
    }
}
