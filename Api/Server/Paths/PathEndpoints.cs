using System.Security.Claims;
using HamachiCloud.Api.Auth;

namespace HamachiCloud.Api.Paths;

internal static class PathEndpoints
{
    public static void MapPathEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGroup("/networks").WithTags("Networks").RequireAuthorization(AuthSchemes.ReadPolicy)
            .MapGet("/{id:guid}/paths", (Guid id, ClaimsPrincipal u, PathReports s, CancellationToken ct) => s.ForNetworkAsync(u.UserId(), id, ct))
            .WithSummary("How the network's devices reach each other: the latest path report per device pair (direct, relay or none, candidates tried, why not direct, RTT); reports older than 3 minutes are left out");
    }
}
