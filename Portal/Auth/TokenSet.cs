namespace HamachiCloud.Portal.Auth;

/// <summary>The user's tokens from the Api, kept on the server only (never in the cookie or the browser).</summary>
public sealed record TokenSet(string AccessToken, string? RefreshToken, string? IdToken, DateTimeOffset ExpiresAt);
