using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Devices;

/// <summary>Section <c>Addresses</c>: the pools virtual addresses come from.</summary>
public sealed class AddressPoolOptions
{
    public const string Section = "Addresses";

    /// <summary>IPv4 pool; every device gets one stable address from it.</summary>
    public string IPv4Pool { get; set; } = "100.64.0.0/10";

    /// <summary>ULA /48; a device's IPv6 is this prefix plus its IPv4 in the low 32 bits.</summary>
    public string IPv6Prefix { get; set; } = "fd48:616d:6163::/48";

    internal IPNetwork V4 => IPNetwork.Parse(IPv4Pool);
    internal IPNetwork V6 => IPNetwork.Parse(IPv6Prefix);

    internal sealed class Validator : IValidateOptions<AddressPoolOptions>
    {
        public ValidateOptionsResult Validate(string? name, AddressPoolOptions o)
        {
            var failures = new List<string>();
            if (!IPNetwork.TryParse(o.IPv4Pool, out var v4) || v4.BaseAddress.AddressFamily != AddressFamily.InterNetwork || v4.PrefixLength > 30)
            {
                failures.Add($"{Section}:IPv4Pool: '{o.IPv4Pool}' must be an IPv4 CIDR of at most /30, e.g. 100.64.0.0/10");
            }

            if (!IPNetwork.TryParse(o.IPv6Prefix, out var v6) || v6.BaseAddress.AddressFamily != AddressFamily.InterNetworkV6 || v6.PrefixLength > 96)
            {
                failures.Add($"{Section}:IPv6Prefix: '{o.IPv6Prefix}' must be an IPv6 CIDR of at most /96, e.g. fd48:616d:6163::/48");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
