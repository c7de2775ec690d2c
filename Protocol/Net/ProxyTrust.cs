using System.Net;
using System.Net.Sockets;

namespace HamachiCloud.Protocol.Net;

/// <summary>
/// Which direct peers (reverse proxies, load balancers) may name the client's address in X-Forwarded-For: the
/// strict parsing and validation shared by the Api (section <c>Proxy</c>) and the relay (section <c>Relay</c>).
/// Trust is explicit: nothing listed = nobody trusted, loopback included. Pure; static and thread-safe.
/// </summary>
public static class ProxyTrust
{
    /// <summary>The largest accepted ForwardLimit (trusted hops unwound from the right of X-Forwarded-For).</summary>
    public const int MaxForwardLimit = 10;

    /// <summary>
    /// A literal address: IPv4 as four dotted numbers (IPAddress.TryParse alone would take "10" as 0.0.0.10), or
    /// IPv6 (with a colon). No scope ids.
    /// </summary>
    public static bool TryParseAddress(string? text, out IPAddress address)
    {
        address = IPAddress.None;
        if (string.IsNullOrWhiteSpace(text) || text.Contains('%') || !IPAddress.TryParse(text, out var parsed))
        {
            return false;
        }

        var wellFormed = parsed.AddressFamily == AddressFamily.InterNetworkV6
            ? text.Contains(':')
            : text.AsSpan().Count('.') == 3;
        address = parsed;
        return wellFormed;
    }

    /// <summary>A CIDR range: a strict address, '/', a prefix length in range, no host bits set.</summary>
    public static bool TryParseNetwork(string? text, out IPNetwork network)
    {
        network = default;
        var slash = text?.IndexOf('/') ?? -1;
        return slash > 0
            && TryParseAddress(text![..slash], out var address)
            && IPNetwork.TryParse(text, out network)
            && network.BaseAddress.Equals(address); // TryParse silently clears host bits: "192.0.2.1/24" is a typo, not 192.0.2.0/24
    }

    /// <summary>
    /// The failures of <c>{section}:KnownProxies</c>, <c>{section}:KnownNetworks</c> and <c>{section}:ForwardLimit</c>,
    /// each naming its key and index; empty when all are valid.
    /// </summary>
    public static List<string> Validate(string section, IReadOnlyList<string> knownProxies, IReadOnlyList<string> knownNetworks, int forwardLimit)
    {
        var failures = new List<string>();
        for (var i = 0; i < knownProxies.Count; i++)
        {
            if (!TryParseAddress(knownProxies[i], out _))
            {
                failures.Add($"{section}:KnownProxies:{i} '{knownProxies[i]}' is not an IP address (e.g. 192.0.2.10 or 2001:db8::10)");
            }
        }

        for (var i = 0; i < knownNetworks.Count; i++)
        {
            if (!TryParseNetwork(knownNetworks[i], out _))
            {
                failures.Add($"{section}:KnownNetworks:{i} '{knownNetworks[i]}' is not a CIDR range with its host bits zero (e.g. 198.18.0.0/24)");
            }
        }

        if (forwardLimit is < 1 or > MaxForwardLimit)
        {
            failures.Add($"{section}:ForwardLimit must be 1..{MaxForwardLimit}");
        }

        return failures;
    }

    /// <summary>
    /// Replaces the contents of <paramref name="proxies"/> and <paramref name="networks"/> (e.g. ASP.NET Core's
    /// ForwardedHeadersOptions lists, whose loopback defaults must go) with the validated settings; throws naming the
    /// key when an entry was not validated.
    /// </summary>
    public static void Fill(string section, IReadOnlyList<string> knownProxies, IReadOnlyList<string> knownNetworks, ICollection<IPAddress> proxies, ICollection<IPNetwork> networks)
    {
        proxies.Clear();
        networks.Clear();
        foreach (var proxy in knownProxies)
        {
            proxies.Add(TryParseAddress(proxy, out var address) ? address : throw new InvalidOperationException($"{section}:KnownProxies '{proxy}' was not validated"));
        }

        foreach (var network in knownNetworks)
        {
            networks.Add(TryParseNetwork(network, out var range) ? range : throw new InvalidOperationException($"{section}:KnownNetworks '{network}' was not validated"));
        }
    }
}
