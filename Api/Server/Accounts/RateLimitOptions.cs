namespace HamachiCloud.Api.Accounts;

/// <summary>Section <c>RateLimits</c>: per-address limits on abuse-prone endpoints.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Account registrations per client address per minute.</summary>
    public int RegistrationsPerMinute { get; set; } = 10;
}
