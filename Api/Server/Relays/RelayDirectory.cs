using System.Net;
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

    /// <summary>
    /// Every registered relay's name and the addresses it answers on (UDP relay and STUN, IPv4-mapped
    /// addresses read as IPv4), live or not: what no device may claim and no ban should cover unasked.
    /// </summary>
    public static async Task<List<(string Name, IPAddress Address)>> AddressesAsync(HamachiDbContext db, CancellationToken ct)
    {
        var relays = await db.Relays.AsNoTracking().Select(r => new { r.Name, r.UdpEndpoints, r.StunEndpoints }).ToListAsync(ct);
        return relays
            .SelectMany(r => $"{r.UdpEndpoints} {r.StunEndpoints}".Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(e => IPEndPoint.TryParse(e, out var endpoint) ? endpoint.Address : null)
                .OfType<IPAddress>()
                .Select(a => (r.Name, a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a)))
            .Distinct()
            .ToList();
    }

    public static RelayInfo ToInfo(Relay r) => new(
        r.Id,
        r.Name,
        r.Region,
        r.UdpEndpoints.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        r.StunEndpoints.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        r.WebSocketUrl);
}
