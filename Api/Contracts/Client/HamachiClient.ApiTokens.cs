using HamachiCloud.Api.Contracts.Accounts;

namespace HamachiCloud.Api.Contracts.Client;

/// <summary>Personal API tokens in bulk (create, list and revoke one are in the main file).</summary>
public sealed partial class HamachiClient
{
    /// <summary>Revokes every personal API token of the account (the caller's own too, if it is one); answers how many.</summary>
    public Task<RevokedApiTokens> RevokeAllApiTokensAsync(CancellationToken ct = default) =>
        SendAsync<RevokedApiTokens>(HttpMethod.Post, "api/v1/me/tokens/revoke-all", null, ct);
}
