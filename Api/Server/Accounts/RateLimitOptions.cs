namespace HamachiCloud.Api.Accounts;

/// <summary>Section <c>RateLimits</c>: per-address limits on abuse-prone endpoints.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Account registrations per client address per minute.</summary>
    public int RegistrationsPerMinute { get; set; } = 10;

    internal sealed class Validator : Microsoft.Extensions.Options.IValidateOptions<RateLimitOptions>
    {
        public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, RateLimitOptions o) =>
            o.RegistrationsPerMinute is < 1 or > 1_000_000
                ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail($"{Section}:RegistrationsPerMinute must be 1..1000000")
                : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
    }
}
