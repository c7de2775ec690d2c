using System.Security.Claims;
using HamachiCloud.Api.Auth;

namespace HamachiCloud.Api.Routes;

/// <summary>
/// <c>/api/v1/networks/{id}/routes</c>: the LAN prefixes gateway devices advertise (they advertise
/// over the control channel, <c>IAgentHub.AdvertiseRoutes</c>); network managers approve or reject them.
/// </summary>
internal static class RouteEndpoints
{
    public static void MapRouteEndpoints(this IEndpointRouteBuilder api)
    {
        var read = api.MapGroup("/networks").WithTags("Routes").RequireAuthorization(AuthSchemes.ReadPolicy);
        var write = api.MapGroup("/networks").WithTags("Routes").RequireAuthorization(AuthSchemes.WritePolicy);

        read.MapGet("/{id:guid}/routes", (Guid id, ClaimsPrincipal u, RouteService s, CancellationToken ct) => s.ListAsync(u.UserId(), id, ct))
            .WithSummary("Gateway routes (managers see pending and rejected ones too)");
        write.MapPost("/{id:guid}/routes/{routeId:guid}/approve", (Guid id, Guid routeId, ClaimsPrincipal u, RouteService s, CancellationToken ct) =>
                s.ApproveAsync(u.UserId(), id, routeId, ct))
            .WithSummary("Approve a gateway route: members get a route to the prefix through the gateway");
        write.MapPost("/{id:guid}/routes/{routeId:guid}/reject", (Guid id, Guid routeId, ClaimsPrincipal u, RouteService s, CancellationToken ct) =>
                s.RejectAsync(u.UserId(), id, routeId, ct))
            .WithSummary("Reject (or withdraw the approval of) a gateway route");
    }
}
