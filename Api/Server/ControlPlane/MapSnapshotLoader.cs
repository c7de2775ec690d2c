namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// Reads a <see cref="MapSnapshot"/> for the given accounts: their active networks, those networks' active members
/// (with their <see cref="Membership.OverPlanLimit"/> mark) and all their devices; gateway routes only of networks
/// whose plan has the premium features.
/// </summary>
internal static class MapSnapshotLoader
{
    public static async Task<MapSnapshot> LoadAsync(HamachiDbContext db, IReadOnlyCollection<Guid> userIds, CancellationToken ct)
    {
        var users = userIds.ToList();
        var networkIds = await db.Memberships
            .Where(m => users.Contains(m.UserId) && m.Status == MemberStatus.Active)
            .Select(m => m.NetworkId)
            .Distinct()
            .ToListAsync(ct);
        var networks = await db.Networks
            .Where(n => networkIds.Contains(n.Id))
            .Select(n => new { n.Id, n.NetworkId, n.Name, n.Type, n.JoinPolicy, n.AllowPublicRoutes, n.Plan!.PremiumFeatures })
            .ToListAsync(ct);
        var members = await db.Memberships
            .Where(m => networkIds.Contains(m.NetworkId) && m.Status == MemberStatus.Active)
            .Select(m => new { m.NetworkId, m.UserId, m.Nickname, m.User!.DisplayName, m.Role, m.HubRole, m.Status, m.OverPlanLimit })
            .ToListAsync(ct);
        var memberUsers = members.Select(m => m.UserId).Concat(users).Distinct().ToList();
        var devices = await db.Devices.AsNoTracking().Where(d => memberUsers.Contains(d.UserId)).ToListAsync(ct);
        var deviceIds = devices.Select(d => d.Id).ToList();
        var offline = (await db.DeviceNetworkStates
                .Where(s => deviceIds.Contains(s.DeviceId) && !s.Online)
                .Select(s => new { s.DeviceId, s.NetworkId })
                .ToListAsync(ct))
            .ToLookup(s => s.DeviceId, s => s.NetworkId);

        // Gateway routes are a premium feature: a network whose plan lost it keeps its routes stored, but they are not pushed.
        var gatewayNetworks = networks.Where(n => n.Type == NetworkType.Gateway && n.PremiumFeatures).Select(n => n.Id).ToList();
        var routes = (await db.GatewayRoutes
                .Where(r => gatewayNetworks.Contains(r.NetworkId))
                .Select(r => new { r.NetworkId, r.DeviceId, r.Prefix, r.Status })
                .ToListAsync(ct))
            .ToLookup(r => r.NetworkId, r => new MapSnapshot.Route(r.DeviceId, r.Prefix, r.Status));

        var byNetwork = members.ToLookup(m => m.NetworkId);
        return new MapSnapshot(
            networks.Select(n => new MapSnapshot.Net(n.Id, n.NetworkId, n.Name, n.Type,
                byNetwork[n.Id].Select(m => new MapSnapshot.Member(
                    m.UserId, string.IsNullOrEmpty(m.Nickname) ? m.DisplayName : m.Nickname, m.Role, m.HubRole, m.Status, m.OverPlanLimit)).ToList(),
                n.Type == NetworkType.Gateway ? routes[n.Id].ToList() : null,
                n.JoinPolicy == JoinPolicy.Open,
                n.AllowPublicRoutes)).ToList(),
            devices.Select(d => new MapSnapshot.Dev(
                d.Id, d.UserId, d.Name, ToBase64(d.NodeKey), d.VirtualIPv4, d.VirtualIPv6, d.ConnectionId is not null,
                d.Endpoints.Split(' ', StringSplitOptions.RemoveEmptyEntries), offline[d.Id].ToHashSet(),
                d.AcceptPublicRoutes)).ToList());
    }

    private static string ToBase64(string hex) => Convert.ToBase64String(Convert.FromHexString(hex));
}
