using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Bans;

/// <summary>Section <c>Bans</c>: how wide a ban may be without the second confirmation; how often hit counts are written.</summary>
public sealed class BanOptions
{
    public const string Section = "Bans";

    /// <summary>IPv4 ranges shorter than this prefix (wider than a /16 by default) need <c>confirm</c>.</summary>
    public int WidestIPv4PrefixLength { get; set; } = 16;

    /// <summary>IPv6 ranges shorter than this prefix (wider than a /32 by default) need <c>confirm</c>.</summary>
    public int WidestIPv6PrefixLength { get; set; } = 32;

    /// <summary>How often each Api node adds the refusals it counted to the bans' hit counts (seconds, 1..300).</summary>
    public int HitFlushSeconds { get; set; } = 5;

    internal sealed class Validator : IValidateOptions<BanOptions>
    {
        public ValidateOptionsResult Validate(string? name, BanOptions o)
        {
            var failures = new List<string>();
            if (o.WidestIPv4PrefixLength is < 0 or > 32)
            {
                failures.Add($"{Section}:WidestIPv4PrefixLength must be 0..32");
            }

            if (o.WidestIPv6PrefixLength is < 0 or > 128)
            {
                failures.Add($"{Section}:WidestIPv6PrefixLength must be 0..128");
            }

            if (o.HitFlushSeconds is < 1 or > 300)
            {
                failures.Add($"{Section}:HitFlushSeconds must be 1..300");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
