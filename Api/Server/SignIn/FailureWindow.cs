namespace HamachiCloud.Api.SignIn;

/// <summary>
/// Failed attempts of one key (an account or a client address) and the time of the last one. Pure:
/// the wait and the next window are functions of the window, the policy and <c>now</c>.
/// </summary>
internal readonly record struct FailureWindow(int Failures, DateTimeOffset LastFailureAt)
{
    /// <summary>How long until the next attempt may be checked (zero: now).</summary>
    public TimeSpan Wait(FailurePolicy policy, DateTimeOffset now)
    {
        if (Failures < policy.FreeFailures || now - LastFailureAt >= policy.ForgetAfter)
        {
            return TimeSpan.Zero;
        }

        var remaining = LastFailureAt + policy.Delay(Failures) - now;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    /// <summary>The window after one more failure at <paramref name="now"/> (an expired one starts over).</summary>
    public FailureWindow After(FailurePolicy policy, DateTimeOffset now) =>
        Failures == 0 || now - LastFailureAt >= policy.ForgetAfter
            ? new FailureWindow(1, now)
            : new FailureWindow(Math.Min(Failures, int.MaxValue - 1) + 1, now);

    /// <summary>Whether the window says nothing any more (it can be dropped).</summary>
    public bool Expired(FailurePolicy policy, DateTimeOffset now) => now - LastFailureAt >= policy.ForgetAfter;
}

/// <summary>Free failures, then a wait of <see cref="BaseDelay"/> doubling per failure up to <see cref="MaxDelay"/>.</summary>
internal sealed record FailurePolicy(int FreeFailures, TimeSpan BaseDelay, TimeSpan MaxDelay, TimeSpan ForgetAfter)
{
    /// <summary>The wait after <paramref name="failures"/> failures (at least <see cref="FreeFailures"/>).</summary>
    public TimeSpan Delay(int failures)
    {
        var doublings = Math.Min(failures - FreeFailures, 20);
        var ticks = BaseDelay.Ticks * (1L << doublings);
        return ticks <= 0 || ticks > MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks(ticks);
    }
}
