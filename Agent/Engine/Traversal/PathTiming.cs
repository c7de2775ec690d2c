namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>The path selection's timing rules (defaults meet issue 5: fallback to the relay within 3 s).</summary>
public sealed record PathTiming
{
    /// <summary>Offsets from the punch moment at which every candidate is pinged.</summary>
    public IReadOnlyList<TimeSpan> PunchSchedule { get; init; } =
        [TimeSpan.Zero, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2.5)];

    /// <summary>Ping interval on a healthy direct path.</summary>
    public TimeSpan DirectPingInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Ping interval once the latest pong is older than <see cref="DirectPingInterval"/> (one lost pong).</summary>
    public TimeSpan DirectRetryInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>No pong for this long: the direct path is dead; fall back to the relay.</summary>
    public TimeSpan DirectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Background re-probing after the punch failed or the direct path died: first delay, doubled up to the max.</summary>
    public TimeSpan ReprobeMin { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan ReprobeMax { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>While direct over a non-LAN candidate, how often LAN (host) candidates are tried again.</summary>
    public TimeSpan UpgradeInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A ping without a pong is forgotten after this long.</summary>
    public TimeSpan PingExpiry { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Port prediction: ports on each side of a server-reflexive mapping, from this punch attempt on, at most this many per attempt.</summary>
    public int PredictionRange { get; init; } = 8;

    public int PredictionFromAttempt { get; init; } = 2;

    public int MaxPredictedPerAttempt { get; init; } = 32;

    /// <summary>At most this many candidates per peer (a bound on map and CallMeMaybe input).</summary>
    public int MaxCandidates { get; init; } = 32;
}
