using System.Security.Claims;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Devices;
using HamachiCloud.Api.Contracts.Enrolment;

namespace HamachiCloud.Api.Devices;

internal static class DeviceEndpoints
{
    public static void MapDeviceEndpoints(this IEndpointRouteBuilder api)
    {
        var read = api.MapGroup("/devices").WithTags("Devices").RequireAuthorization(AuthSchemes.ReadPolicy);
        var write = api.MapGroup("/devices").WithTags("Devices").RequireAuthorization(AuthSchemes.WritePolicy);
        api.MapPost("/devices/enrol", (EnrolRequest body, HttpContext http, EnrolmentService s, CancellationToken ct) => s.EnrolAsync(http, body, ct))
            .AllowAnonymous()
            .WithTags("Devices")
            .WithSummary("Enrol a device (setup key in the body, or a bearer token); returns its addresses and the server identity key");
        read.MapGet("/", (ClaimsPrincipal u, DeviceService s, CancellationToken ct) => s.ListMineAsync(u.UserId(), ct))
            .WithSummary("My devices");
        write.MapPut("/{id:guid}/name", (Guid id, RenameDeviceRequest body, ClaimsPrincipal u, DeviceService s, CancellationToken ct) =>
            s.RenameAsync(u.UserId(), id, body, ct))
            .WithSummary("Rename a device");
        write.MapPut("/{id:guid}/accept-routes", (Guid id, SetAcceptRoutesRequest body, ClaimsPrincipal u, DeviceService s, CancellationToken ct) =>
            s.SetAcceptRoutesAsync(u.UserId(), id, body, ct))
            .WithSummary("Whether the device accepts public gateway routes (off by default; its agent must accept them too)");
        write.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal u, DeviceService s, CancellationToken ct) =>
            {
                await s.DeleteAsync(u.UserId(), id, ct);
                return Results.NoContent();
            })
            .WithSummary("Delete (revoke) a device");
    }
}
