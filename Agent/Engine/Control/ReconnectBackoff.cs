namespace HamachiCloud.Agent.Engine.Control;

/// <summary>
/// Jittered exponential back-off for reconnecting to the control server: attempt n waits
/// min(<see cref="Cap"/>, <see cref="Base"/> · 2ⁿ), scaled by a random factor in
/// [1 − <see cref="Jitter"/>, 1] so that agents cut off together do not return together.
/// Pure: the caller passes the <see cref="Random"/> (seeded in tests, shared in the daemon).
/// </summary>
public sealed record ReconnectBackoff
{
    public TimeSpan Base { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>16 s: an agent is back within 30 s of the server's return (1, 2, 4, 8, 16 s, then 16 s).</summary>
    public TimeSpan Cap { get; init; } = TimeSpan.FromSeconds(16);

    /// <summary>Fraction of the delay that is random, 0 (none) to 1 (full jitter).</summary>
    public double Jitter { get; init; } = 0.5;

    /// <summary>The wait before reconnect attempt <paramref name="attempt"/> (0 = first retry).</summary>
    public TimeSpan Delay(int attempt, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (Base <= TimeSpan.Zero || Cap < Base || Jitter is < 0 or > 1)
        {
            throw new InvalidOperationException($"reconnect back-off: need 0 < Base ({Base}) <= Cap ({Cap}) and 0 <= Jitter ({Jitter}) <= 1");
        }

        var exponent = Math.Clamp(attempt, 0, 30);
        var ceiling = Math.Min(Cap.Ticks, Base.Ticks * (1L << exponent));
        var factor = 1 - (Jitter * random.NextDouble());
        return TimeSpan.FromTicks((long)(ceiling * factor));
    }
}
