namespace HamachiCloud.Api.Contracts.Accounts;

/// <summary>New recovery codes, shown only in this answer; each signs in once instead of an authenticator code.</summary>
public sealed record RecoveryCodesDto(IReadOnlyList<string> RecoveryCodes);
