using HamachiCloud.Protocol.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Hosting;

/// <summary>
/// Section <c>Proxy</c>: which direct peers (load balancers, reverse proxies) may tell the Api the
/// real client address (X-Forwarded-For) and, optionally, scheme and host. Trust is explicit:
/// with both lists empty (the default) every forwarded header is ignored, whoever sends it —
/// unlike ASP.NET Core's own defaults, loopback is not trusted unless listed. A peer without an
/// IP address (a Unix socket) is never trusted. Parsing and validation: <see cref="ProxyTrust"/> (shared with the relay).
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
        ProxyTrust.Fill(Section, KnownProxies, KnownNetworks, o.KnownProxies, o.KnownIPNetworks);
        return o;
    }

    internal sealed class Validator : IValidateOptions<ProxyOptions>
    {
        public ValidateOptionsResult Validate(string? name, ProxyOptions o)
        {
            var failures = ProxyTrust.Validate(Section, o.KnownProxies, o.KnownNetworks, o.ForwardLimit);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
