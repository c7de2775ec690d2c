using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Relays;

/// <summary>Section <c>Relays</c>: relay registration (heartbeat secret), liveness and relay token lifetime.</summary>
public sealed class RelaysOptions
{
    public const string Section = "Relays";

    /// <summary>Shared secret relays send in X-Relay-Secret; empty = relay heartbeats are refused (no relays).</summary>
    public string RegistrationSecret { get; set; } = "";

    /// <summary>Lifetime of relay tokens handed to agents.</summary>
    public int TokenLifetimeMinutes { get; set; } = 60;

    /// <summary>A relay counts as live (maps, tokens) while its last heartbeat is at most this old.</summary>
    public int LiveSeconds { get; set; } = 60;

    /// <summary>
    /// When set, every relay token carries this cap in kbit/s instead of the network plan's (0 = unlimited):
    /// for installations that run their own relays without billing, and for benchmarks.
    /// </summary>
    public int? BandwidthKbps { get; set; }

    internal sealed class Validator : IValidateOptions<RelaysOptions>
    {
        public ValidateOptionsResult Validate(string? name, RelaysOptions o)
        {
            var failures = new List<string>();
            if (!string.IsNullOrEmpty(o.RegistrationSecret) && o.RegistrationSecret.Length < 16)
            {
                failures.Add($"{Section}:RegistrationSecret must be empty (no relays) or at least 16 characters");
            }

            if (o.TokenLifetimeMinutes is < 1 or > 1440)
            {
                failures.Add($"{Section}:TokenLifetimeMinutes must be 1..1440");
            }

            if (o.LiveSeconds is < 5 or > 3600)
            {
                failures.Add($"{Section}:LiveSeconds must be 5..3600");
            }

            if (o.BandwidthKbps is < 0 or > 100_000_000)
            {
                failures.Add($"{Section}:BandwidthKbps must be empty (the plan decides), 0 (unlimited) or up to 100000000");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
