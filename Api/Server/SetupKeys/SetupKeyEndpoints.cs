using System.Security.Claims;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.SetupKeys;

namespace HamachiCloud.Api.SetupKeys;

internal static class SetupKeyEndpoints
{
    public static void MapSetupKeyEndpoints(this IEndpointRouteBuilder api)
    {
        var read = api.MapGroup("/setup-keys").WithTags("Setup keys").RequireAuthorization(AuthSchemes.ReadPolicy);
        var write = api.MapGroup("/setup-keys").WithTags("Setup keys").RequireAuthorization(AuthSchemes.WritePolicy);
        read.MapGet("/", (ClaimsPrincipal u, SetupKeyService s, CancellationToken ct) => s.ListMineAsync(u.UserId(), ct));
        write.MapPost("/", async (CreateSetupKeyRequest body, ClaimsPrincipal u, SetupKeyService s, CancellationToken ct) =>
            Results.Created("/api/v1/setup-keys", await s.CreateAsync(u.UserId(), body, ct)))
            .WithSummary("Create a setup key; the key is shown only in this answer");
        write.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal u, SetupKeyService s, CancellationToken ct) =>
            {
                await s.RevokeAsync(u.UserId(), id, ct);
                return Results.NoContent();
            });
    }
}
