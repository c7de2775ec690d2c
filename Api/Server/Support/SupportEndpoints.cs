using System.Security.Claims;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Support;

namespace HamachiCloud.Api.Support;

/// <summary>
/// <c>/api/v1/support</c>: the support console (support staff and admins only; everyone else gets 403 from the
/// services' <see cref="StaffAccess"/> check). Actions need a reason and are audited as "support.*".
/// </summary>
internal static class SupportEndpoints
{
    public static void MapSupportEndpoints(this IEndpointRouteBuilder api)
    {
        var read = api.MapGroup("/support").WithTags("Support").RequireAuthorization(AuthSchemes.StaffReadPolicy);
        var write = api.MapGroup("/support").WithTags("Support").RequireAuthorization(AuthSchemes.StaffWritePolicy);
        read.MapGet("/search", async (string? q, ClaimsPrincipal u, StaffAccess staff, SupportSearch s, CancellationToken ct) =>
            {
                await staff.RequireAsync(u.UserId(), "search accounts");
                return await s.SearchAsync(q, ct);
            })
            .WithSummary("Accounts, networks and devices by email, name, network id, virtual or public IP, key or id (support staff)");
        read.MapGet("/accounts/{id:guid}", (Guid id, ClaimsPrincipal u, SupportService s, CancellationToken ct) => s.GetAccountAsync(u.UserId(), id, ct))
            .WithSummary("An account's plans, networks, devices, recent sign-ins and the bans that touch it (support staff)");
        write.MapPost("/accounts/{id:guid}/disable", (Guid id, SupportActionRequest body, ClaimsPrincipal u, SupportService s, CancellationToken ct) =>
                s.DisableAsync(u.UserId(), id, body, ct))
            .WithSummary("Disable an account with a reason: no sign-in, no API calls, its agents' sessions end (support staff)");
        write.MapPost("/accounts/{id:guid}/enable", (Guid id, SupportActionRequest body, ClaimsPrincipal u, SupportService s, CancellationToken ct) =>
                s.EnableAsync(u.UserId(), id, body, ct))
            .WithSummary("Re-enable a disabled account, with a reason (support staff)");
        write.MapPost("/accounts/{id:guid}/end-sessions", (Guid id, SupportActionRequest body, ClaimsPrincipal u, SupportService s, CancellationToken ct) =>
                s.EndSessionsAsync(u.UserId(), id, body, ct))
            .WithSummary("Revoke every sign-in of an account (Portal and CLI) with its tokens, with a reason (support staff)");
        write.MapPost("/devices/{id:guid}/revoke", async (Guid id, SupportActionRequest body, ClaimsPrincipal u, SupportService s, CancellationToken ct) =>
            {
                await s.RevokeDeviceAsync(u.UserId(), id, body, ct);
                return Results.NoContent();
            })
            .WithSummary("Remove a device from its account (keys refused, session ended), with a reason (support staff)");
    }
}
