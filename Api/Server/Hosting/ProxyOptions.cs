using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace HamachiCloud.Api.Hosting;

/// <summary>
/// Section <c>Proxy</c>: which direct peers (load balancers, reverse proxies) may tell the Api the
/// real client address (X-Forwarded-For) and, optionally, scheme and host. Trust is explicit:
/// with both lists empty (the default) every forwarded header is ignored, whoever sends it —
/// unlike ASP.NET Core's own defaults, loopback is not trusted unless listed. A peer without an
/// IP address (a Unix socket) is never trusted.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "Proxy";

    /// <summary>Addresses of trusted proxies, e.g. <c>192.0.2.10</c> or <c>::1</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Ranges of trusted proxies (CIDR, host bits zero), e.g. <c>198.18.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many trusted hops are unwound from the right of X-Forwarded-For (proxy chains), 1..10.</summary>
    public int ForwardLimit { get; set; } = 1;

    /// <summary>Take the scheme from X-Forwarded-Proto (TLS ends at the proxy: OpenIddict and redirects see https).</summary>
    public bool ForwardProto { get; set; } = true;

    /// <summary>Take the host from X-Forwarded-Host (only when the proxy rewrites Host).</summary>
    public bool ForwardHost { get; set; }

    /// <summary>Whether any peer is trusted at all; otherwise the forwarded-headers middleware is not installed.</summary>
    public bool TrustsAnyProxy => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    /// <summary>ASP.NET Core's options for these settings, with its loopback defaults removed. Call on validated options only.</summary>
    public ForwardedHeadersOptions ToForwardedHeadersOptions()
    {
        var o = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor
                | (ForwardProto ? ForwardedHeaders.XForwardedProto : ForwardedHeaders.None)
                | (ForwardHost ? ForwardedHeaders.XForwardedHost : ForwardedHeaders.None),
            ForwardLimit = ForwardLimit,
        };
        o.KnownProxies.Clear();
        o.KnownIPNetworks.Clear();
        foreach (var proxy in KnownProxies)
        {
            o.KnownProxies.Add(TryParseAddress(proxy, out var address) ? address : throw new InvalidOperationException($"{Section}:KnownProxies '{proxy}' was not validated"));
        }

        foreach (var network in KnownNetworks)
        {
            o.KnownIPNetworks.Add(TryParseNetwork(network, out var range) ? range : throw new InvalidOperationException($"{Section}:KnownNetworks '{network}' was not validated"));
        }

        return o;
    }

    /// <summary>
    /// A literal address: IPv4 as four dotted numbers (IPAddress.TryParse alone would take "10" as
    /// 0.0.0.10), or IPv6. No scope ids.
    /// </summary>
    internal static bool TryParseAddress(string? text, out IPAddress address)
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
    internal static bool TryParseNetwork(string? text, out IPNetwork network)
    {
        network = default;
        var slash = text?.IndexOf('/') ?? -1;
        return slash > 0
            && TryParseAddress(text![..slash], out var address)
            && IPNetwork.TryParse(text, out network)
            && network.BaseAddress.Equals(address); // TryParse silently clears host bits: "192.0.2.1/24" is a typo, not 192.0.2.0/24
    }

    internal sealed class Validator : IValidateOptions<ProxyOptions>
    {
        public ValidateOptionsResult Validate(string? name, ProxyOptions o)
        {
            var failures = new List<string>();
            for (var i = 0; i < o.KnownProxies.Count; i++)
            {
                if (!TryParseAddress(o.KnownProxies[i], out _))
                {
                    failures.Add($"{Section}:KnownProxies:{i} '{o.KnownProxies[i]}' is not an IP address (e.g. 192.0.2.10 or 2001:db8::10)");
                }
            }

            for (var i = 0; i < o.KnownNetworks.Count; i++)
            {
                if (!TryParseNetwork(o.KnownNetworks[i], out _))
                {
                    failures.Add($"{Section}:KnownNetworks:{i} '{o.KnownNetworks[i]}' is not a CIDR range with its host bits zero (e.g. 198.18.0.0/24)");
                }
            }

            if (o.ForwardLimit is < 1 or > 10)
            {
                failures.Add($"{Section}:ForwardLimit must be 1..10");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
