namespace HamachiCloud.Protocol.Control;

/// <summary>
/// Changes from <see cref="FromVersion"/> to <see cref="ToVersion"/>: peers added or changed
/// (whole records), peers removed, and networks added or changed / removed. An agent whose map is
/// not at <see cref="FromVersion"/> ignores the delta and asks for a full map. <see cref="Relays"/>, when not null,
/// replaces the map's relay list.
/// </summary>
public sealed record NetworkMapDelta(
    long FromVersion,
    long ToVersion,
    DateTimeOffset IssuedAt,
    IReadOnlyList<PeerInfo> UpsertedPeers,
    IReadOnlyList<Guid> RemovedPeers,
    IReadOnlyList<NetworkInfo> UpsertedNetworks,
    IReadOnlyList<Guid> RemovedNetworks,
    IReadOnlyList<RelayInfo>? Relays = null);
