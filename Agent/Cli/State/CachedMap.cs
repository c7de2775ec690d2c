using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Agent.State;

/// <summary>
/// The network map cache: the last full signed map and the signed deltas applied after it, each
/// exactly as received (payload bytes + signature), so a restart can verify them again.
/// </summary>
public sealed record CachedMap(SignedMessage Map, IReadOnlyList<SignedMessage> Deltas);
