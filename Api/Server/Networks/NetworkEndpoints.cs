using System.Security.Claims;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Networks;

namespace HamachiCloud.Api.Networks;

internal static class NetworkEndpoints
{
    public static void MapNetworkEndpoints(this IEndpointRouteBuilder api)
    {
        var read = api.MapGroup("/networks").WithTags("Networks").RequireAuthorization(AuthSchemes.ReadPolicy);
        var write = api.MapGroup("/networks").WithTags("Networks").RequireAuthorization(AuthSchemes.WritePolicy);

        read.MapGet("/", (ClaimsPrincipal u, NetworkService s, CancellationToken ct) => s.ListMineAsync(u.UserId(), ct))
            .WithSummary("The networks I am a member of (active or pending)");
        read.MapGet("/{id:guid}", (Guid id, ClaimsPrincipal u, NetworkService s, CancellationToken ct) => s.GetAsync(u.UserId(), id, ct))
            .WithSummary("One network");
        write.MapPost("/", async (CreateNetworkRequest body, ClaimsPrincipal u, NetworkService s, CancellationToken ct) =>
            {
                var created = await s.CreateAsync(u.UserId(), body, ct);
                return Results.Created($"/api/v1/networks/{created.Id}", created);
            })
            .WithSummary("Create a network; I become its owner");
        write.MapPatch("/{id:guid}", (Guid id, UpdateNetworkRequest body, ClaimsPrincipal u, NetworkService s, CancellationToken ct) =>
                s.UpdateAsync(u.UserId(), id, body, ct))
            .WithSummary("Change name, password, join policy or lock (owner or admin)");
        write.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal u, NetworkService s, CancellationToken ct) =>
            {
                await s.DeleteAsync(u.UserId(), id, ct);
                return Results.NoContent();
            })
            .WithSummary("Delete a network (owner only)");
    }
}
