namespace HamachiCloud.Api.Accounts;

/// <summary>Section <c>RateLimits</c>: per-address and per-account limits on abuse-prone endpoints.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Account registrations per client address per minute.</summary>
    public int RegistrationsPerMinute { get; set; } = 10;

    /// <summary>
    /// Anonymous account-recovery requests (confirm email, resend confirmation, forgot / reset password)
    /// per client address per minute, all four together.
    /// </summary>
    public int AccountRecoveryPerMinute { get; set; } = 10;

    /// <summary>
    /// Attempts to join a network per account per minute (REST and hub, joined or refused), so network ids
    /// cannot be scanned. Per Api node.
    /// </summary>
    public int JoinsPerMinute { get; set; } = 20;

    internal sealed class Validator : Microsoft.Extensions.Options.IValidateOptions<RateLimitOptions>
    {
        public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, RateLimitOptions o)
        {
            var failures = new List<string>();
            if (o.RegistrationsPerMinute is < 1 or > 1_000_000)
            {
                failures.Add($"{Section}:RegistrationsPerMinute must be 1..1000000");
            }

            if (o.AccountRecoveryPerMinute is < 1 or > 1_000_000)
            {
                failures.Add($"{Section}:AccountRecoveryPerMinute must be 1..1000000");
            }

            if (o.JoinsPerMinute is < 1 or > 1_000_000)
            {
                failures.Add($"{Section}:JoinsPerMinute must be 1..1000000");
            }

            return failures.Count == 0
                ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
                : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(failures);
        }
    }
}
