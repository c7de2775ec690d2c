namespace HamachiCloud.Agent.State;

/// <summary>OAuth tokens from the device flow (kept 0600 for <c>hamachi logout</c> to delete the device).</summary>
public sealed record StoredTokens(string AccessToken, string? RefreshToken);
