using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.SignIn;

/// <summary>
/// Section <c>SignInThrottle</c>: how failed passwords and second-factor codes slow further attempts, per
/// account and per client address, instead of locking the account (a lockout anyone who knows the email
/// could keep in place forever). After the free failures each failure doubles the wait before the next
/// attempt is checked, from <see cref="BaseDelaySeconds"/> up to the cap; counts are forgotten after
/// <see cref="ForgetAfterMinutes"/> without a failure.
/// </summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "SignInThrottle";

    /// <summary>Failures for one account (from anywhere) before its attempts wait.</summary>
    public int AccountFreeFailures { get; set; } = 5;

    /// <summary>The longest wait for one account: an attacker can delay a sign-in from a new address this long at most.</summary>
    public int AccountMaxDelaySeconds { get; set; } = 60;

    /// <summary>Failures from one client address (an IPv6 /64) for any accounts before its attempts wait.</summary>
    public int AddressFreeFailures { get; set; } = 10;

    /// <summary>The longest wait for one client address.</summary>
    public int AddressMaxDelaySeconds { get; set; } = 900;

    /// <summary>The first wait after the free failures; it doubles with each further failure.</summary>
    public int BaseDelaySeconds { get; set; } = 1;

    /// <summary>Failure counts end this long after the last failure.</summary>
    public int ForgetAfterMinutes { get; set; } = 60;

    /// <summary>
    /// An address the account signed in from successfully is exempt from the account's wait (not from
    /// the address's own) for this many days: the owner at home is not slowed by a stranger's guesses.
    /// </summary>
    public int FamiliarAddressDays { get; set; } = 30;

    /// <summary>Most entries (accounts, addresses, familiar pairs) kept in memory per Api node; the oldest go first.</summary>
    public int MaxEntries { get; set; } = 100_000;

    internal sealed class Validator : IValidateOptions<SignInThrottleOptions>
    {
        public ValidateOptionsResult Validate(string? name, SignInThrottleOptions o)
        {
            var failures = new List<string>();
            void Range(string key, int value, int min, int max)
            {
                if (value < min || value > max)
                {
                    failures.Add($"{Section}:{key} must be {min}..{max}, got {value}");
                }
            }

            Range(nameof(AccountFreeFailures), o.AccountFreeFailures, 1, 1000);
            Range(nameof(AccountMaxDelaySeconds), o.AccountMaxDelaySeconds, 1, 3600);
            Range(nameof(AddressFreeFailures), o.AddressFreeFailures, 1, 100_000);
            Range(nameof(AddressMaxDelaySeconds), o.AddressMaxDelaySeconds, 1, 86_400);
            Range(nameof(BaseDelaySeconds), o.BaseDelaySeconds, 1, 3600);
            Range(nameof(ForgetAfterMinutes), o.ForgetAfterMinutes, 1, 10_080);
            Range(nameof(FamiliarAddressDays), o.FamiliarAddressDays, 0, 365);
            Range(nameof(MaxEntries), o.MaxEntries, 1000, 10_000_000);
            if (o.BaseDelaySeconds > Math.Min(o.AccountMaxDelaySeconds, o.AddressMaxDelaySeconds))
            {
                failures.Add($"{Section}:{nameof(BaseDelaySeconds)} must not exceed {nameof(AccountMaxDelaySeconds)} and {nameof(AddressMaxDelaySeconds)}");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
