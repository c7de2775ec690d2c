namespace HamachiCloud.Protocol.Relay;

/// <summary>
/// One ban a relay enforces: a range (<paramref name="Cidr"/>: datagrams from it are refused) or the node keys of a
/// banned device or of every device of a banned account (<paramref name="NodeKeys"/>, base64 of 32 bytes: binds
/// to or from them are refused and their relayed flows end). <paramref name="Id"/> names the ban in hit reports.
/// </summary>
public sealed record RelayBan(Guid Id, string? Cidr, IReadOnlyList<string> NodeKeys, DateTimeOffset? ExpiresAt);

/// <summary>
/// Relay → Api, <c>POST /api/v1/relays/bans</c> with the relays' secret header: the long poll that pushes ban changes.
/// The Api answers at once when its ban list's version differs from <paramref name="Version"/>, else when a ban
/// changes on any Api node, else after <see cref="MaxWaitSeconds"/> with the same list.
/// </summary>
public sealed record RelayBanPoll(Guid RelayId, string? Version)
{
    public const string Path = "/api/v1/relays/bans";
    public const int MaxWaitSeconds = 25;
}

/// <summary>Api → relay: every acting ban in scope Relays and the version that names this list.</summary>
public sealed record RelayBanList(string Version, IReadOnlyList<RelayBan> Bans);
