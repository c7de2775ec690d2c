using System.Security.Claims;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Members;
using HamachiCloud.Api.Contracts.Networks;

namespace HamachiCloud.Api.Members;

internal static class MemberEndpoints
{
    public static void MapMemberEndpoints(this IEndpointRouteBuilder api)
    {
        var read = api.MapGroup("/networks").WithTags("Members").RequireAuthorization(AuthSchemes.ReadPolicy);
        var write = api.MapGroup("/networks").WithTags("Members").RequireAuthorization(AuthSchemes.WritePolicy);

        write.MapPost("/join", (JoinNetworkRequest body, ClaimsPrincipal u, MemberService s, CancellationToken ct) => s.JoinAsync(u.UserId(), body, ct))
            .WithSummary("Join by network id (and password); pending on approval networks");
        write.MapPost("/{id:guid}/leave", async (Guid id, ClaimsPrincipal u, MemberService s, CancellationToken ct) =>
            {
                await s.LeaveAsync(u.UserId(), id, ct);
                return Results.NoContent();
            })
            .WithSummary("Leave a network (not the owner)");
        read.MapGet("/{id:guid}/members", (Guid id, ClaimsPrincipal u, MemberService s, CancellationToken ct) => s.ListAsync(u.UserId(), id, ct))
            .WithSummary("Members (managers also see pending, rejected and evicted)");
        write.MapPost("/{id:guid}/members/{userId:guid}/approve", (Guid id, Guid userId, ClaimsPrincipal u, MemberService s, CancellationToken ct) =>
            s.ApproveAsync(u.UserId(), id, userId, ct));
        write.MapPost("/{id:guid}/members/{userId:guid}/reject", (Guid id, Guid userId, ClaimsPrincipal u, MemberService s, CancellationToken ct) =>
            s.RejectAsync(u.UserId(), id, userId, ct));
        write.MapPost("/{id:guid}/members/{userId:guid}/evict", (Guid id, Guid userId, ClaimsPrincipal u, MemberService s, CancellationToken ct) =>
            s.EvictAsync(u.UserId(), id, userId, ct));
        write.MapPut("/{id:guid}/members/{userId:guid}/role", (Guid id, Guid userId, SetRoleRequest body, ClaimsPrincipal u, MemberService s, CancellationToken ct) =>
            s.SetRoleAsync(u.UserId(), id, userId, body, ct));
        write.MapPut("/{id:guid}/members/{userId:guid}/hub-role", (Guid id, Guid userId, SetHubRoleRequest body, ClaimsPrincipal u, MemberService s, CancellationToken ct) =>
            s.SetHubRoleAsync(u.UserId(), id, userId, body, ct));
        write.MapPut("/{id:guid}/active-members", (Guid id, SetActiveMembersRequest body, ClaimsPrincipal u, MemberService s, CancellationToken ct) =>
                s.SetActiveMembersAsync(u.UserId(), id, body, ct))
            .WithSummary("Choose who stays active when the plan allows fewer members than the network has (owner only)");
        write.MapPut("/{id:guid}/members/me/nickname", (Guid id, SetNicknameRequest body, ClaimsPrincipal u, MemberService s, CancellationToken ct) =>
            s.SetNicknameAsync(u.UserId(), id, body, ct));
    }
}
