using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Api.Relays;

/// <summary>Reads the live relays (heartbeat within <see cref="RelaysOptions.LiveSeconds"/>), ordered by id.</summary>
internal static class RelayDirectory
{
    public static async Task<IReadOnlyList<RelayInfo>> LiveAsync(HamachiDbContext db, DateTimeOffset now, int liveSeconds, CancellationToken ct)
    {
        var since = now.AddSeconds(-liveSeconds);
        var rows = await db.Relays.AsNoTracking().ToListAsync(ct); // few rows; DateTimeOffset comparison differs per provider
        return rows.Where(r => r.LastSeenAt >= since).OrderBy(r => r.Id).Select(ToInfo).ToList();
    }

    public static RelayInfo ToInfo(Relay r) => new(
        r.Id,
        r.Name,
        r.Region,
        r.UdpEndpoints.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        r.StunEndpoints.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        r.WebSocketUrl);
}
