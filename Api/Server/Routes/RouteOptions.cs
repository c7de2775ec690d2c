using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Routes;

/// <summary>
/// Section <c>Routes</c>: how wide a gateway route may be. A private prefix (RFC 1918, 100.64.0.0/10,
/// 198.18.0.0/15, ULA fc00::/7) may be as wide as /8 (IPv4) or /16 (IPv6); a public one, only in a
/// network that allows public routes, no wider than /16 or /32 — a gateway serves a site's range,
/// never a slice of the Internet (and no default route: that would be an exit node).
/// </summary>
public sealed class RouteOptions
{
    public const string Section = "Routes";

    /// <summary>Shortest prefix length of a private IPv4 route.</summary>
    public int MinPrivatePrefixLengthV4 { get; set; } = 8;

    /// <summary>Shortest prefix length of a private (ULA) IPv6 route.</summary>
    public int MinPrivatePrefixLengthV6 { get; set; } = 16;

    /// <summary>Shortest prefix length of a public IPv4 route.</summary>
    public int MinPublicPrefixLengthV4 { get; set; } = 16;

    /// <summary>Shortest prefix length of a public IPv6 route.</summary>
    public int MinPublicPrefixLengthV6 { get; set; } = 32;

    internal sealed class Validator : IValidateOptions<RouteOptions>
    {
        public ValidateOptionsResult Validate(string? name, RouteOptions o)
        {
            var failures = new List<string>();
            Check(failures, nameof(MinPrivatePrefixLengthV4), o.MinPrivatePrefixLengthV4, 8, 32);
            Check(failures, nameof(MinPrivatePrefixLengthV6), o.MinPrivatePrefixLengthV6, 7, 128);
            Check(failures, nameof(MinPublicPrefixLengthV4), o.MinPublicPrefixLengthV4, 8, 32);
            Check(failures, nameof(MinPublicPrefixLengthV6), o.MinPublicPrefixLengthV6, 16, 128);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        private static void Check(List<string> failures, string key, int value, int min, int max)
        {
            if (value < min || value > max)
            {
                failures.Add($"{Section}:{key} must be {min}..{max} (got {value})");
            }
        }
    }
}
