using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Contracts.Accounts;
using OpenIddict.Abstractions;

namespace HamachiCloud.Api.Sessions;

/// <summary>
/// The account's OAuth authorizations (one per Portal sign-in or <c>hamachi login</c>) as "sessions":
/// list, revoke one, revoke all. Revoking marks the authorization and every token issued under it
/// revoked, so its refresh token is refused at once; an access token already issued stays valid until
/// it expires (<c>Identity:AccessTokenMinutes</c>), as access tokens are self-contained.
/// </summary>
internal sealed class SessionService(
    IOpenIddictAuthorizationManager authorizations,
    IOpenIddictApplicationManager applications,
    IOpenIddictTokenManager tokens,
    HamachiDbContext db,
    AuditLog audit)
{
    public async Task<List<SessionDto>> ListAsync(Guid userId, CancellationToken ct)
    {
        var names = new Dictionary<string, (string ClientId, string Name)>(StringComparer.Ordinal);
        var sessions = new List<SessionDto>();
        await foreach (var authorization in authorizations.FindBySubjectAsync(userId.ToString(), ct))
        {
            var applicationId = await authorizations.GetApplicationIdAsync(authorization, ct) ?? "";
            if (!names.TryGetValue(applicationId, out var client))
            {
                client = await DescribeClientAsync(applicationId, ct);
                names[applicationId] = client;
            }

            sessions.Add(new SessionDto(
                Guid.Parse(await authorizations.GetIdAsync(authorization, ct) ?? throw new InvalidOperationException("authorization without id")),
                client.ClientId,
                client.Name,
                await authorizations.GetCreationDateAsync(authorization, ct),
                [.. await authorizations.GetScopesAsync(authorization, ct)],
                await authorizations.GetStatusAsync(authorization, ct) ?? ""));
        }

        return sessions.OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Id).ToList();
    }

    /// <summary>404 when the authorization does not exist or is not this account's (no hint which).</summary>
    public async Task RevokeAsync(Guid userId, Guid id, CancellationToken ct)
    {
        var authorization = await authorizations.FindByIdAsync(id.ToString(), ct);
        if (authorization is null || await authorizations.GetSubjectAsync(authorization, ct) != userId.ToString())
        {
            throw ApiProblemException.NotFound("session");
        }

        await RevokeOneAsync(authorization, id.ToString(), ct);
        audit.Record(userId, "session.revoked", "authorization", id);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Revokes every authorization of the account; returns how many were still valid.</summary>
    public async Task<int> RevokeAllAsync(Guid userId, string reason, CancellationToken ct)
    {
        var revoked = 0;
        var all = new List<object>();
        await foreach (var authorization in authorizations.FindBySubjectAsync(userId.ToString(), ct))
        {
            all.Add(authorization);
        }

        foreach (var authorization in all)
        {
            if (await authorizations.HasStatusAsync(authorization, OpenIddictConstants.Statuses.Valid, ct))
            {
                revoked++;
            }

            await RevokeOneAsync(authorization, await authorizations.GetIdAsync(authorization, ct) ?? "", ct);
        }

        // Tokens without an authorization (none are issued today) would outlive the loop above.
        await tokens.RevokeBySubjectAsync(userId.ToString(), ct);
        audit.Record(userId, "session.revoked_all", "user", userId, $"{revoked} sessions: {reason}");
        await db.SaveChangesAsync(ct);
        return revoked;
    }

    private async Task RevokeOneAsync(object authorization, string id, CancellationToken ct)
    {
        await authorizations.TryRevokeAsync(authorization, ct);
        await tokens.RevokeByAuthorizationIdAsync(id, ct);
    }

    private async Task<(string ClientId, string Name)> DescribeClientAsync(string applicationId, CancellationToken ct)
    {
        var application = applicationId.Length == 0 ? null : await applications.FindByIdAsync(applicationId, ct);
        if (application is null)
        {
            return ("", "Unknown application");
        }

        var clientId = await applications.GetClientIdAsync(application, ct) ?? "";
        return (clientId, await applications.GetDisplayNameAsync(application, ct) ?? clientId);
    }
}
