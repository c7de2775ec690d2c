using HamachiCloud.Api.Contracts.Members;
using HamachiCloud.Api.ControlPlane;
using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Api.Members;

/// <summary>
/// Reads the member lists of any number of networks in two queries, whatever their size: the
/// memberships (with display names), then the active members' devices with their presence in each
/// network (connected now and not gone offline there, <see cref="DeviceNetworkState"/>). Used by
/// GET members (one network) and by the live pushes (every network a tick touched).
/// </summary>
internal static class MemberListLoader
{
    public static async Task<NetworkMembers?> LoadAsync(HamachiDbContext db, Guid networkId, CancellationToken ct) =>
        (await LoadAsync(db, [networkId], ct)).GetValueOrDefault(networkId);

    /// <summary>Networks without any membership (deleted, or never existed) are absent from the answer.</summary>
    public static async Task<Dictionary<Guid, NetworkMembers>> LoadAsync(HamachiDbContext db, IReadOnlyCollection<Guid> networkIds, CancellationToken ct)
    {
        var ids = networkIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var memberships = await db.Memberships.AsNoTracking()
            .Where(m => ids.Contains(m.NetworkId))
            .Select(m => new { m.NetworkId, m.UserId, m.User!.DisplayName, m.Nickname, m.Role, m.HubRole, m.Status, m.CreatedAt, m.OverPlanLimit, m.KeepActive })
            .ToListAsync(ct);
        var devices = await (
                from m in db.Memberships
                where ids.Contains(m.NetworkId) && m.Status == MemberStatus.Active
                join d in db.Devices on m.UserId equals d.UserId
                select new
                {
                    m.NetworkId,
                    d.UserId,
                    d.Id,
                    d.Name,
                    d.VirtualIPv4,
                    d.VirtualIPv6,
                    Connected = d.ConnectionId != null,
                    OfflineHere = db.DeviceNetworkStates.Any(s => s.DeviceId == d.Id && s.NetworkId == m.NetworkId && !s.Online),
                    d.LastSeenAt,
                    d.Os,
                    d.AgentVersion,
                    d.NatReport,
                })
            .AsNoTracking()
            .ToListAsync(ct);

        var nats = new Dictionary<Guid, (NatReport? Report, string? Type)>();
        var byMember = devices
            .OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Id)
            .ToLookup(d => (d.NetworkId, d.UserId), d =>
            {
                var nat = NatOf(nats, d.Id, d.NatReport);
                return new MemberDeviceDto(
                    d.Id, d.Name, d.VirtualIPv4.ToString(), d.VirtualIPv6.ToString(), d.Connected && !d.OfflineHere, d.LastSeenAt, d.Os, d.AgentVersion,
                    nat.Type, nat.Report);
            });
        var result = new Dictionary<Guid, NetworkMembers>();
        foreach (var network in memberships.GroupBy(m => m.NetworkId))
        {
            var rows = network
                .OrderByDescending(m => m.Role).ThenBy(m => m.CreatedAt).ThenBy(m => m.UserId)
                .Select(m => new MemberDto(m.UserId, m.DisplayName, m.Nickname, m.Role, m.HubRole, m.Status, m.CreatedAt,
                    m.Status == MemberStatus.Active ? byMember[(network.Key, m.UserId)].ToList() : [],
                    m.Status == MemberStatus.Active && m.OverPlanLimit, m.KeepActive))
                .ToList();
            result[network.Key] = new NetworkMembers(
                network.Key,
                rows,
                rows.Count(m => m.Status == MemberStatus.Active && m.Devices!.Any(d => d.Online)),
                rows.Count(m => m.Status == MemberStatus.Pending));
        }

        return result;
    }

    /// <summary>A device's NAT report and the type shown for it, parsed once per device even when it is in several networks.</summary>
    private static (NatReport? Report, string? Type) NatOf(Dictionary<Guid, (NatReport?, string?)> cache, Guid deviceId, string? json)
    {
        if (!cache.TryGetValue(deviceId, out var nat))
        {
            var report = NatReports.FromJson(json);
            nat = (report, NatReports.TypeOf(report));
            cache[deviceId] = nat;
        }

        return nat;
    }
}
