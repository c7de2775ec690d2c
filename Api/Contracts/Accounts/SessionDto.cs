namespace HamachiCloud.Api.Contracts.Accounts;

/// <summary>
/// One OAuth authorization of the account (GET /api/v1/me/sessions): a Portal sign-in or a
/// <c>hamachi login</c>. <see cref="Status"/> is "valid" or "revoked"; revoking ends its refresh tokens.
/// </summary>
public sealed record SessionDto(
    Guid Id,
    string ClientId,
    string ClientName,
    DateTimeOffset? CreatedAt,
    IReadOnlyList<string> Scopes,
    string Status);
