using System.Net;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace HamachiCloud.Relay.Hosting;

/// <summary>Section <c>Relay</c>: identity, sockets, Api heartbeat, trusted proxies. Validated at start; a bad key stops the process, named.</summary>
public sealed class RelayOptions
{
    public const string Section = "Relay";

    /// <summary>This relay's id (tokens name it). Required.</summary>
    public Guid Id { get; set; }

    public string Name { get; set; } = "relay";

    public string Region { get; set; } = "local";

    /// <summary>Primary address (UDP relay + STUN). Must be a concrete address, not 0.0.0.0.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 3478;

    /// <summary>Second address for STUN CHANGE-REQUEST / OTHER-ADDRESS; empty = none.</summary>
    public string? AlternateAddress { get; set; }

    /// <summary>Second port for STUN; 0 = none.</summary>
    public int AlternatePort { get; set; } = 3479;

    /// <summary>The WebSocket URL agents use for the TCP fallback (advertised to the Api), e.g. wss://relay.example/relay.</summary>
    public string? WebSocketUrl { get; set; }

    /// <summary>Base URL of the Api for heartbeats; empty = standalone (needs <see cref="ServerIdentityKey"/>).</summary>
    public string? ApiUrl { get; set; }

    /// <summary>Shared secret for the heartbeat (the Api's <c>Relays:RegistrationSecret</c>).</summary>
    public string? RegistrationSecret { get; set; }

    public int HeartbeatSeconds { get; set; } = 10;

    /// <summary>The server identity public key (base64) when running without the Api; the heartbeat's key wins.</summary>
    public string? ServerIdentityKey { get; set; }

    /// <summary>Banned ranges (CIDR) when running without the Api; the heartbeat's list replaces them.</summary>
    public List<string> BannedRanges { get; set; } = [];

    public int MaxBindings { get; set; } = 100_000;

    /// <summary>
    /// Handshake initiations (Bind, BindProof) per second per source address (IPv4 address, IPv6 /64), with bursts of
    /// twice as many; more are dropped before any signature check and counted as <c>handshake_rate_limited</c>. 0 = no limit.
    /// </summary>
    public int HandshakesPerSecondPerAddress { get; set; } = 20;

    /// <summary>Open WebSocket connections (<c>/relay</c>) at most, in total; more are refused with 503 before the upgrade.</summary>
    public int MaxWebSockets { get; set; } = 10_000;

    /// <summary>Open WebSocket connections at most per client address (IPv4 address, IPv6 /64); more get 429.</summary>
    public int MaxWebSocketsPerAddress { get; set; } = 32;

    /// <summary>A WebSocket that has not made a binding (BindOk) this many seconds after it opened is closed.</summary>
    public int WebSocketBindSeconds { get; set; } = 30;

    /// <summary>
    /// Bearer token that <c>/counters</c> requires. Empty = <see cref="RegistrationSecret"/> when set; with neither,
    /// only callers on loopback are answered.
    /// </summary>
    public string? CountersToken { get; set; }

    /// <summary>The token <c>/counters</c> requires, or null when only loopback callers are answered.</summary>
    public string? EffectiveCountersToken =>
        !string.IsNullOrEmpty(CountersToken) ? CountersToken : string.IsNullOrEmpty(RegistrationSecret) ? null : RegistrationSecret;

    /// <summary>
    /// Proxies (e.g. a TLS-terminating reverse proxy in front of <c>/relay</c>) whose X-Forwarded-For names the
    /// WebSocket client, whose address the ban check then uses. Empty (default) = nobody, loopback included.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Ranges of such proxies (CIDR, host bits zero).</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many trusted hops are unwound from the right of X-Forwarded-For, 1..10.</summary>
    public int ForwardLimit { get; set; } = 1;

    /// <summary>Whether any peer is trusted at all; otherwise the forwarded-headers middleware is not installed.</summary>
    public bool TrustsAnyProxy => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    /// <summary>ASP.NET Core's options for the proxy keys (X-Forwarded-For only, its loopback defaults removed). Validated options only.</summary>
    public ForwardedHeadersOptions ToForwardedHeadersOptions()
    {
        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = ForwardLimit };
        ProxyTrust.Fill(Section, KnownProxies, KnownNetworks, forwarded.KnownProxies, forwarded.KnownIPNetworks);
        return forwarded;
    }

    internal sealed class Validator : IValidateOptions<RelayOptions>
    {
        public ValidateOptionsResult Validate(string? name, RelayOptions o)
        {
            var failures = new List<string>();
            if (o.Id == Guid.Empty)
            {
                failures.Add($"{Section}:Id is required (a GUID naming this relay)");
            }

            if (!IPAddress.TryParse(o.ListenAddress, out var listen) || listen.Equals(IPAddress.Any) || listen.Equals(IPAddress.IPv6Any))
            {
                failures.Add($"{Section}:ListenAddress '{o.ListenAddress}' must be a concrete IP address (STUN reports it as RESPONSE-ORIGIN)");
            }

            if (o.Port is < 1 or > 65535)
            {
                failures.Add($"{Section}:Port must be 1..65535");
            }

            if (o.AlternatePort is < 0 or > 65535 || (o.AlternatePort != 0 && o.AlternatePort == o.Port))
            {
                failures.Add($"{Section}:AlternatePort must be 0 (none) or 1..65535 and differ from {Section}:Port");
            }

            if (!string.IsNullOrWhiteSpace(o.AlternateAddress)
                && (!IPAddress.TryParse(o.AlternateAddress, out var alternate) || alternate.Equals(IPAddress.Any) || alternate.Equals(listen)))
            {
                failures.Add($"{Section}:AlternateAddress '{o.AlternateAddress}' must be a concrete IP address other than {Section}:ListenAddress, or empty");
            }

            if (!string.IsNullOrWhiteSpace(o.WebSocketUrl)
                && (!Uri.TryCreate(o.WebSocketUrl, UriKind.Absolute, out var ws) || ws.Scheme is not ("ws" or "wss")))
            {
                failures.Add($"{Section}:WebSocketUrl '{o.WebSocketUrl}' must be an absolute ws:// or wss:// URL");
            }

            if (!string.IsNullOrWhiteSpace(o.ApiUrl))
            {
                if (!Uri.TryCreate(o.ApiUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
                {
                    failures.Add($"{Section}:ApiUrl '{o.ApiUrl}' must be an absolute http(s) URL");
                }

                if (string.IsNullOrEmpty(o.RegistrationSecret) || o.RegistrationSecret.Length < 16)
                {
                    failures.Add($"{Section}:RegistrationSecret is required with {Section}:ApiUrl (at least 16 characters)");
                }
            }
            else if (string.IsNullOrWhiteSpace(o.ServerIdentityKey))
            {
                failures.Add($"{Section}:ApiUrl or {Section}:ServerIdentityKey is required (nothing could verify relay tokens)");
            }

            if (!string.IsNullOrWhiteSpace(o.ServerIdentityKey) && !SigningPublicKey.TryParse(o.ServerIdentityKey, out _))
            {
                failures.Add($"{Section}:ServerIdentityKey must be a base64 Ed25519 public key (32 bytes)");
            }

            foreach (var range in o.BannedRanges)
            {
                if (!IPNetwork.TryParse(range, out _))
                {
                    failures.Add($"{Section}:BannedRanges entry '{range}' is not a CIDR");
                }
            }

            if (o.HeartbeatSeconds is < 1 or > 300)
            {
                failures.Add($"{Section}:HeartbeatSeconds must be 1..300");
            }

            if (o.MaxBindings is < 1 or > 10_000_000)
            {
                failures.Add($"{Section}:MaxBindings must be 1..10000000");
            }

            if (o.MaxWebSockets is < 1 or > 1_000_000)
            {
                failures.Add($"{Section}:MaxWebSockets must be 1..1000000");
            }

            if (o.HandshakesPerSecondPerAddress is < 0 or > 1_000_000)
            {
                failures.Add($"{Section}:HandshakesPerSecondPerAddress must be 0 (no limit) or 1..1000000");
            }

            if (o.MaxWebSocketsPerAddress < 1 || o.MaxWebSocketsPerAddress > o.MaxWebSockets)
            {
                failures.Add($"{Section}:MaxWebSocketsPerAddress must be 1..{Section}:MaxWebSockets");
            }

            if (o.WebSocketBindSeconds is < 1 or > 300)
            {
                failures.Add($"{Section}:WebSocketBindSeconds must be 1..300");
            }

            if (!string.IsNullOrEmpty(o.CountersToken) && o.CountersToken.Length < 16)
            {
                failures.Add($"{Section}:CountersToken must be at least 16 characters, or empty");
            }

            failures.AddRange(ProxyTrust.Validate(Section, o.KnownProxies, o.KnownNetworks, o.ForwardLimit));

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
