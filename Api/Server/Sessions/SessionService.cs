using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Contracts.Accounts;
using OpenIddict.Abstractions;

namespace HamachiCloud.Api.Sessions;

/// <summary>
/// The account's OAuth authorizations (one per Portal sign-in or <c>hamachi login</c>) as "sessions":
/// list, revoke one, revoke all. Revoking marks the authorization and every token issued under it
/// revoked, so its refresh token is refused at once, and its access tokens too: the validation checks
/// the token and authorization entries on every bearer request (<c>OpenIddictSetup</c>).
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

    /// <summary>
    /// Revokes every authorization of the account and every token issued under them, refresh tokens
    /// included, except <paramref name="keep"/> (the session that changed the password keeps going);
    /// returns how many were still valid. The entries live in the database, and bearer requests check
    /// them (token and authorization entry validation), so every Api node refuses them from now on.
    /// </summary>
    public async Task<int> RevokeAllAsync(Guid userId, string reason, CancellationToken ct, Guid? keep = null)
    {
        var revoked = 0;
        var all = new List<object>();
        await foreach (var authorization in authorizations.FindBySubjectAsync(userId.ToString(), ct))
        {
            all.Add(authorization);
        }

        var kept = keep?.ToString();
        foreach (var authorization in all)
        {
            var id = await authorizations.GetIdAsync(authorization, ct) ?? "";
            if (id == kept)
            {
                continue;
            }

            if (await authorizations.HasStatusAsync(authorization, OpenIddictConstants.Statuses.Valid, ct))
            {
                revoked++;
            }

            await RevokeOneAsync(authorization, id, ct);
        }

        if (kept is null)
        {
            // Tokens without an authorization (none are issued today) would outlive the loop above.
            await tokens.RevokeBySubjectAsync(userId.ToString(), ct);
        }
        else
        {
            await RevokeLooseTokensAsync(userId, kept, ct);
        }

        audit.Record(userId, "session.revoked_all", "user", userId, $"{revoked} sessions: {reason}");
        await db.SaveChangesAsync(ct);
        return revoked;
    }

    /// <summary>
    /// Revokes one authorization of the account and its tokens (a removed device's <c>hamachi login</c>);
    /// nothing when it is not the account's or does not exist any more. The caller saves the audit event.
    /// </summary>
    public async Task RevokeAuthorizationAsync(Guid userId, Guid id, string reason, CancellationToken ct)
    {
        // Device-flow authorizations approved before their subject was recorded (DeviceApproval) have none.
        var authorization = await authorizations.FindByIdAsync(id.ToString(), ct);
        if (authorization is null || await authorizations.GetSubjectAsync(authorization, ct) is { Length: > 0 } subject && subject != userId.ToString())
        {
            return;
        }

        await RevokeOneAsync(authorization, id.ToString(), ct);
        audit.Record(userId, "session.revoked", "authorization", id, reason);
    }

    private async Task RevokeLooseTokensAsync(Guid userId, string kept, CancellationToken ct)
    {
        var loose = new List<object>();
        await foreach (var token in tokens.FindBySubjectAsync(userId.ToString(), ct))
        {
            if (await tokens.GetAuthorizationIdAsync(token, ct) != kept && await tokens.HasStatusAsync(token, OpenIddictConstants.Statuses.Valid, ct))
            {
                loose.Add(token);
            }
        }

        foreach (var token in loose)
        {
            await tokens.TryRevokeAsync(token, ct);
        }
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
