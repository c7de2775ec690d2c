using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.RateLimiting;

/// <summary>
/// Section <c>RateLimits</c>: per-address and per-account limits on abuse-prone endpoints, and the sign-in lockout.
/// Counted in Redis when <c>Redis:Connection</c> is set (every Api node shares one budget), in memory otherwise.
/// "Guesses" count only wrong answers (a wrong code, password or key); the others count every request.
/// </summary>
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

    /// <summary>Sign-in form posts (password and second-factor steps) per client address (an IPv6 /64) per minute.</summary>
    public int SignInsPerMinute { get; set; } = 20;

    /// <summary>Wrong passwords for one account (by email, known or not) within <see cref="LockoutMinutes"/> that lock it.</summary>
    public int LockoutFailures { get; set; } = 5;

    /// <summary>How long a locked account refuses password sign-ins from unfamiliar addresses; also the window the failures are counted in.</summary>
    public int LockoutMinutes { get; set; } = 5;

    /// <summary>
    /// Attempts to join a network per account per minute (REST and hub, joined or refused), so network ids
    /// cannot be scanned.
    /// </summary>
    public int JoinsPerMinute { get; set; } = 20;

    /// <summary>Wrong network passwords per minute, per account and (separately) per network.</summary>
    public int NetworkPasswordGuessesPerMinute { get; set; } = 10;

    /// <summary>Wrong or expired device-flow user codes (lookup and approval) per client address per minute.</summary>
    public int DeviceCodeGuessesPerMinute { get; set; } = 20;

    /// <summary>Unknown, used or expired setup keys offered for enrolment per client address per minute.</summary>
    public int SetupKeyGuessesPerMinute { get; set; } = 20;

    /// <summary>Unknown, revoked or expired personal API tokens per client address per minute.</summary>
    public int PersonalTokenGuessesPerMinute { get; set; } = 20;

    /// <summary>Requests per personal API token (so per account and token) per minute.</summary>
    public int PersonalTokenRequestsPerMinute { get; set; } = 600;

    internal sealed class Validator : IValidateOptions<RateLimitOptions>
    {
        public ValidateOptionsResult Validate(string? name, RateLimitOptions o)
        {
            var failures = new List<string>();
            void Range(string key, int value, int min = 1, int max = 1_000_000)
            {
                if (value < min || value > max)
                {
                    failures.Add($"{Section}:{key} must be {min}..{max}, got {value}");
                }
            }

            Range(nameof(RegistrationsPerMinute), o.RegistrationsPerMinute);
            Range(nameof(AccountRecoveryPerMinute), o.AccountRecoveryPerMinute);
            Range(nameof(SignInsPerMinute), o.SignInsPerMinute);
            Range(nameof(LockoutFailures), o.LockoutFailures, 1, 1000);
            Range(nameof(LockoutMinutes), o.LockoutMinutes, 1, 1440);
            Range(nameof(JoinsPerMinute), o.JoinsPerMinute);
            Range(nameof(NetworkPasswordGuessesPerMinute), o.NetworkPasswordGuessesPerMinute);
            Range(nameof(DeviceCodeGuessesPerMinute), o.DeviceCodeGuessesPerMinute);
            Range(nameof(SetupKeyGuessesPerMinute), o.SetupKeyGuessesPerMinute);
            Range(nameof(PersonalTokenGuessesPerMinute), o.PersonalTokenGuessesPerMinute);
            Range(nameof(PersonalTokenRequestsPerMinute), o.PersonalTokenRequestsPerMinute);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
