namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>Timing of <see cref="NatProbe"/>'s STUN transactions.</summary>
public sealed record NatProbeOptions
{
    /// <summary>When, after the first transmission, a request is sent again (same transaction id).</summary>
    public IReadOnlyList<TimeSpan> Retransmits { get; init; } = [TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(900)];

    /// <summary>When, after the first transmission, a transaction gives up; tests that expect silence last this long.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(2100);

    /// <summary>
    /// The filtering test is skipped (the previous result kept) when the probe sent to the server's other
    /// address or port within this time: the NAT's pinhole from that earlier request would let the answer
    /// through and fake endpoint-independent filtering. Longer than typical UDP mapping lifetimes (120 s).
    /// </summary>
    public TimeSpan FilteringQuietPeriod { get; init; } = TimeSpan.FromSeconds(200);
}
