namespace HamachiCloud.Api.Contracts.Accounts;

/// <summary>The answer to "revoke all personal API tokens": how many were still usable.</summary>
public sealed record RevokedApiTokens(int Revoked);
