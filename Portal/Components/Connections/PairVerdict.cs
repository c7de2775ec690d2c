using HamachiCloud.Api.Contracts.Paths;

namespace HamachiCloud.Portal.Components.Connections;

/// <summary>
/// What the Portal says about a pair: the path, its numbers, and in words why it is not direct and
/// what would make it so. <see cref="Note"/>: when only one side reported, or the two disagree.
/// <see cref="AToB"/> / <see cref="BToA"/>: the two reports as received (for the detail and its ages).
/// </summary>
public sealed record PairVerdict(
    PairEnd A,
    PairEnd B,
    PairPathKind Kind,
    string Label,
    double? RttMilliseconds,
    string? Relay,
    string? WhyNotDirect,
    string? Advice,
    string? Note,
    DateTimeOffset? ReportedAt,
    PeerPathDto? AToB = null,
    PeerPathDto? BToA = null)
{
    /// <summary>A stable key for the pair whatever the order of its ends (data-pair).</summary>
    public string Key => A.DeviceId.CompareTo(B.DeviceId) <= 0 ? $"{A.DeviceId:N}-{B.DeviceId:N}" : $"{B.DeviceId:N}-{A.DeviceId:N}";

    /// <summary>"laptop (alice) ↔ server (bob)", the pair's accessible name.</summary>
    public string Title => $"{Named(A)} ↔ {Named(B)}";

    private static string Named(PairEnd end) => end.Owner is null || end.Owner == end.Name ? end.Name : $"{end.Name} ({end.Owner})";
}
