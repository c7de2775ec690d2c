using Microsoft.AspNetCore.SignalR.Client;

namespace HamachiCloud.Portal.Live;

/// <summary>Reconnect forever: at once, then after 1, 2 and 5 s, then every 10 s (an Api restart is back within seconds).</summary>
public sealed class LiveRetryPolicy : IRetryPolicy
{
    private static readonly TimeSpan[] Delays = [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];

    public static TimeSpan DelayFor(long attempt) => attempt < Delays.Length ? Delays[attempt] : TimeSpan.FromSeconds(10);

    public TimeSpan? NextRetryDelay(RetryContext retryContext) => DelayFor(retryContext.PreviousRetryCount);
}
