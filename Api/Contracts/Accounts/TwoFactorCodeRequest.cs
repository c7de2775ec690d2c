namespace HamachiCloud.Api.Contracts.Accounts;

/// <summary>
/// A code proving the authenticator: 6 digits from the app (spaces and dashes ignored), or for disable
/// and new recovery codes also an unused recovery code.
/// </summary>
public sealed record TwoFactorCodeRequest(string Code);
