namespace HamachiCloud.Api.Contracts.Accounts;

/// <summary>The answer to a token creation: the only time the secret is shown.</summary>
public sealed record CreatedApiToken(ApiTokenDto Token, string Secret);
