using System.Net;
using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Contracts.Routes;
using HamachiCloud.Api.ControlPlane;
using HamachiCloud.Api.Devices;
using HamachiCloud.Api.Networks;
using HamachiCloud.Protocol.Routing;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Routes;

/// <summary>
/// Gateway routes: a gateway device advertises the LAN prefixes it serves (over the hub), network
/// managers approve or reject them (REST). Every change is audited and recorded in the
/// <see cref="MapChangeQueue"/>, so members get or lose the route at the next tick. Advertising and approving need a
/// plan with premium features (402 <c>plan_required</c>); without one (after a downgrade) routes stay stored but are
/// not pushed (<see cref="MapSnapshotLoader"/>).
/// </summary>
internal sealed class RouteService(
    HamachiDbContext db, NetworkService networks, AuditLog audit, TimeProvider clock, MapChangeQueue changes, IOptions<AddressPoolOptions> pool,
    IOptions<RouteOptions> limits)
{
    /// <summary>Managers see every route; other members the approved ones and their own devices' routes; non-members get 404.</summary>
    public async Task<List<RouteDto>> ListAsync(Guid userId, Guid networkId, CancellationToken ct)
    {
        var network = await networks.LoadAsync(networkId, ct);
        var me = Access.RequireMember(network, userId);
        var manager = me.Role is MemberRole.Owner or MemberRole.Admin;
        var rows = await db.GatewayRoutes
            .Where(r => r.NetworkId == networkId && (manager || r.Status == RouteStatus.Approved || r.Device!.UserId == userId))
            .Select(r => new { r, r.Device!.Name })
            .ToListAsync(ct);
        return rows.OrderBy(x => x.r.CreatedAt).ThenBy(x => x.r.Prefix, StringComparer.Ordinal).Select(x => ToDto(x.r, x.Name)).ToList();
    }

    public Task<RouteDto> ApproveAsync(Guid userId, Guid networkId, Guid routeId, CancellationToken ct) =>
        DecideAsync(userId, networkId, routeId, RouteStatus.Approved, ct);

    public Task<RouteDto> RejectAsync(Guid userId, Guid networkId, Guid routeId, CancellationToken ct) =>
        DecideAsync(userId, networkId, routeId, RouteStatus.Rejected, ct);

    /// <summary>
    /// Replaces what <paramref name="deviceId"/> advertises in the network: new prefixes are pending,
    /// prefixes it still advertises keep their status, the others are withdrawn. Only a device of a
    /// hub-role member of a gateway network may advertise.
    /// </summary>
    public async Task<List<RouteDto>> AdvertiseAsync(Guid userId, Guid deviceId, Guid networkId, IReadOnlyList<string>? prefixes, CancellationToken ct)
    {
        var network = await networks.LoadAsync(networkId, ct);
        var me = Access.RequireMember(network, userId);
        if (network.Type != NetworkType.Gateway)
        {
            throw ApiProblemException.Conflict(ErrorCodes.NotGatewayNetwork, $"network {network.NetworkId} is a {network.Type} network; only gateway networks have routes");
        }

        await Plans.PlanGates.RequirePremiumAsync(db, network, "gateway routes", ct);
        if (me.HubRole != HubRole.Hub)
        {
            throw new ApiProblemException(403, ErrorCodes.NotGateway,
                $"this device is not a gateway of {network.NetworkId}: a network admin must give your account the hub role first");
        }

        var wanted = Validate(prefixes, network.AllowPublicRoutes);
        var device = await db.Devices.Where(d => d.Id == deviceId && d.UserId == userId).Select(d => new { d.Id, d.Name }).FirstOrDefaultAsync(ct)
            ?? throw ApiProblemException.NotFound("device");
        var existing = await db.GatewayRoutes.Where(r => r.NetworkId == networkId && r.DeviceId == deviceId).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var added = new List<string>();
        foreach (var prefix in wanted.Where(p => existing.All(r => r.Prefix != p)))
        {
            db.GatewayRoutes.Add(new GatewayRoute
            {
                Id = Guid.CreateVersion7(now),
                NetworkId = networkId,
                DeviceId = deviceId,
                Prefix = prefix,
                Status = RouteStatus.Pending,
                CreatedAt = now,
            });
            added.Add(prefix);
        }

        var withdrawn = existing.Where(r => !wanted.Contains(r.Prefix)).ToList();
        db.GatewayRoutes.RemoveRange(withdrawn);
        if (added.Count > 0 || withdrawn.Count > 0)
        {
            audit.Record(userId, "route.advertised", "network", networkId,
                $"device {device.Id}: +[{string.Join(' ', added)}] -[{string.Join(' ', withdrawn.Select(r => r.Prefix))}]");
            await db.SaveChangesAsync(ct);
            changes.NetworkChanged(networkId);
        }

        var rows = await db.GatewayRoutes.Where(r => r.NetworkId == networkId && r.DeviceId == deviceId).ToListAsync(ct);
        return rows.OrderBy(r => r.Prefix, StringComparer.Ordinal).Select(r => ToDto(r, device.Name)).ToList();
    }

    private List<string> Validate(IReadOnlyList<string>? prefixes, bool allowPublic)
    {
        var validator = new Validator();
        var options = pool.Value;
        IReadOnlyList<IPNetwork> overlays = [options.V4, options.V6];
        var wanted = new List<string>();
        var list = prefixes ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var network = RoutePrefixes.Check(list[i], overlays, limits.Value, allowPublic, out var error);
            if (network is null)
            {
                validator.Add($"prefixes[{i}]", error!);
            }
            else if (!wanted.Contains(network.Value.ToString()))
            {
                wanted.Add(network.Value.ToString());
            }
        }

        validator
            .Check(wanted.Count <= NetworkLimits.MaxGatewayRoutes, "prefixes", $"at most {NetworkLimits.MaxGatewayRoutes} prefixes per gateway device and network (got {wanted.Count})")
            .ThrowIfInvalid();
        return wanted;
    }

    private async Task<RouteDto> DecideAsync(Guid userId, Guid networkId, Guid routeId, RouteStatus decision, CancellationToken ct)
    {
        var network = await networks.LoadAsync(networkId, ct);
        Access.RequireManager(network, userId);
        var route = await db.GatewayRoutes.FirstOrDefaultAsync(r => r.Id == routeId && r.NetworkId == networkId, ct)
            ?? throw ApiProblemException.NotFound("route");
        if (decision == RouteStatus.Approved)
        {
            await Plans.PlanGates.RequirePremiumAsync(db, network, "approving gateway routes", ct);
            // Checked again: the network may have stopped allowing public routes, or the caps shrunk, since it was advertised.
            var options = pool.Value;
            if (RoutePrefixes.Check(route.Prefix, [options.V4, options.V6], limits.Value, network.AllowPublicRoutes, out var refused) is null)
            {
                throw ApiProblemException.BadRequest(ErrorCodes.ValidationFailed, $"prefix: {refused}");
            }

            var prefix = IPNetwork.Parse(route.Prefix);
            var approved = await db.GatewayRoutes.Where(r => r.NetworkId == networkId && r.DeviceId != route.DeviceId && r.Status == RouteStatus.Approved)
                .Select(r => r.Prefix).ToListAsync(ct);
            var clash = approved.FirstOrDefault(p => RoutePrefixes.Overlap(prefix, IPNetwork.Parse(p)));
            if (clash is not null)
            {
                throw ApiProblemException.Conflict(ErrorCodes.RouteOverlap,
                    $"{route.Prefix} overlaps {clash}, approved for another gateway of {network.NetworkId}; reject that one first");
            }
        }

        if (route.Status != decision)
        {
            route.Status = decision;
            route.DecidedById = userId;
            route.DecidedAt = clock.GetUtcNow();
            audit.Record(userId, decision == RouteStatus.Approved ? "route.approved" : "route.rejected", "network", networkId,
                $"{route.Prefix} via device {route.DeviceId}");
            await db.SaveChangesAsync(ct);
            changes.NetworkChanged(networkId);
        }

        var name = await db.Devices.Where(d => d.Id == route.DeviceId).Select(d => d.Name).SingleAsync(ct);
        return ToDto(route, name);
    }

    private static RouteDto ToDto(GatewayRoute r, string deviceName) =>
        new(r.Id, r.NetworkId, r.DeviceId, deviceName, r.Prefix, r.Status, r.CreatedAt, r.DecidedById, r.DecidedAt, RouteScope.IsPublic(r.Prefix));
}
