using HamachiCloud.Api.Bans;
using HamachiCloud.Protocol.Relay;

namespace HamachiCloud.Api.Relays;

/// <summary>
/// The bans every relay enforces (scope Relays), as the relays read them: ranges as CIDRs, device bans as the
/// device's node key, account bans as the node keys of every device of the account. Built from this node's
/// <see cref="BanList"/> snapshot plus one query for the node keys; the version is the ban list's (a new device of a
/// banned account never logs in, so it never gets a relay token: no version change is needed for it).
/// </summary>
internal sealed class RelayBanFeed(BanList bans, HamachiDbContext db)
{
    public async Task<RelayBanList> CurrentAsync(CancellationToken ct)
    {
        var (all, version) = await bans.AllAsync(ct);
        var relayBans = all.Where(b => (b.Scope & BanScope.Relays) != 0).ToList();
        var deviceIds = relayBans.Where(b => b.Kind == BanKind.Device).Select(b => b.DeviceId!.Value).ToList();
        var userIds = relayBans.Where(b => b.Kind == BanKind.Account).Select(b => b.UserId!.Value).ToList();
        var keys = deviceIds.Count + userIds.Count == 0
            ? []
            : await db.Devices.AsNoTracking().Where(d => deviceIds.Contains(d.Id) || userIds.Contains(d.UserId))
                .Select(d => new { d.Id, d.UserId, d.NodeKey }).ToListAsync(ct);
        var list = relayBans.Select(b => b.Kind switch
        {
            BanKind.Range => new RelayBan(b.Id, b.Range!.Value.ToString(), [], b.ExpiresAt),
            BanKind.Device => new RelayBan(b.Id, null, keys.Where(k => k.Id == b.DeviceId).Select(k => Base64(k.NodeKey)).OfType<string>().ToList(), b.ExpiresAt),
            _ => new RelayBan(b.Id, null, keys.Where(k => k.UserId == b.UserId).Select(k => Base64(k.NodeKey)).OfType<string>().ToList(), b.ExpiresAt),
        }).ToList();
        return new RelayBanList(version, list);
    }

    /// <summary>A stored node key (64 hex digits) as the relays read it (base64 of the 32 bytes); null when it is not one.</summary>
    private static string? Base64(string hex) =>
        hex.Length == 64 && hex.All(char.IsAsciiHexDigit) ? Convert.ToBase64String(Convert.FromHexString(hex)) : null;
}
