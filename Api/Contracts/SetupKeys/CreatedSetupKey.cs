namespace HamachiCloud.Api.Contracts.SetupKeys;

/// <summary>The answer to a setup-key creation: the only time the key is shown.</summary>
public sealed record CreatedSetupKey(SetupKeyDto SetupKey, string Key);
