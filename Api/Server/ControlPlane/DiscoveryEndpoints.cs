using System.Net;
using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// Pure: the candidate endpoints stored for a device from its discovery report — its NAT-mapped
/// (server-reflexive, from STUN) endpoint first, the address the server observed with the agent's
/// UDP port, then its local endpoints — validated ("ip:port", port 1..65535), de-duplicated, at most <see cref="MaxEndpoints"/>,
/// space separated. Anything that does not parse is dropped.
/// </summary>
internal static class DiscoveryEndpoints
{
    public const int MaxEndpoints = 16;

    public static string From(DiscoveryReport? report, IPAddress? observed)
    {
        if (report is null)
        {
            return "";
        }

        var result = new List<string>();
        if (report.Nat?.MappedEndpoint is { } mapped)
        {
            Add(result, mapped);
        }

        if (observed is not null && report.ListenPort != 0)
        {
            Add(result, new IPEndPoint(observed.IsIPv4MappedToIPv6 ? observed.MapToIPv4() : observed, report.ListenPort).ToString());
        }

        foreach (var local in report.LocalEndpoints ?? [])
        {
            Add(result, local);
        }

        return string.Join(' ', result);
    }

    private static void Add(List<string> result, string? candidate)
    {
        if (result.Count < MaxEndpoints
            && candidate is { Length: <= 64 }
            && IPEndPoint.TryParse(candidate, out var endpoint)
            && endpoint.Port != 0
            && !result.Contains(endpoint.ToString()))
        {
            result.Add(endpoint.ToString());
        }
    }
}
