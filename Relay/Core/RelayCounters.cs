namespace HamachiCloud.Relay.Core;

/// <summary>
/// A snapshot of the relay's counters (the <c>/counters</c> JSON); <see cref="Dropped"/> by snake_case reason.
/// <see cref="ChallengesSent"/>: Binds answered with a Challenge; <see cref="BindsProven"/>: BindProofs that made or
/// moved a binding (also counted in <see cref="BindsAccepted"/>).
/// </summary>
public sealed record RelayCounters(
    long Bindings,
    long BindsAccepted,
    long BindsFromCache,
    long Forwarded,
    long ForwardedBytes,
    long StunAnswered,
    IReadOnlyDictionary<string, long> Dropped,
    long ChallengesSent,
    long BindsProven)
{
    /// <summary>The WebSocket fallback's admission counters (set by the host; null where there is none).</summary>
    public WebSocketCounters? WebSockets { get; init; }

    internal static readonly RelayDropReason[] Reasons = Enum.GetValues<RelayDropReason>().Where(r => r != RelayDropReason.None).ToArray();

    /// <summary>snake_case name of a reason as it appears in <see cref="Dropped"/>, e.g. "bad_signature".</summary>
    public static string Name(RelayDropReason reason) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(reason.ToString());
}
