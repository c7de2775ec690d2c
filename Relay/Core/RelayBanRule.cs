using System.Net;

namespace HamachiCloud.Relay.Core;

/// <summary>
/// One ban for <see cref="RelayCore.SetBans(IReadOnlyList{RelayBanRule}, DateTimeOffset)"/>: a source range and/or
/// node keys (32 bytes each) of a banned device or account; <see cref="Id"/> names it in hit reports (empty: not counted).
/// </summary>
public sealed record RelayBanRule(Guid Id, IPNetwork? Range, IReadOnlyList<byte[]> NodeKeys, DateTimeOffset? ExpiresAt);
