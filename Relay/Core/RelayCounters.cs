namespace HamachiCloud.Relay.Core;

/// <summary>A snapshot of the relay's counters (the <c>/counters</c> JSON); <see cref="Dropped"/> by snake_case reason.</summary>
public sealed record RelayCounters(
    long Bindings,
    long BindsAccepted,
    long BindsFromCache,
    long Forwarded,
    long ForwardedBytes,
    long StunAnswered,
    IReadOnlyDictionary<string, long> Dropped)
{
    internal static readonly RelayDropReason[] Reasons = Enum.GetValues<RelayDropReason>().Where(r => r != RelayDropReason.None).ToArray();

    /// <summary>snake_case name of a reason as it appears in <see cref="Dropped"/>, e.g. "bad_signature".</summary>
    public static string Name(RelayDropReason reason) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(reason.ToString());
}
