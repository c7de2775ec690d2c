namespace HamachiCloud.Portal.Auth;

/// <summary>Claims of the Portal's own sign-in (the cookie's principal).</summary>
public static class SessionClaims
{
    /// <summary>
    /// The Portal session key: names the server-side ticket and the user's tokens in the
    /// <see cref="TokenStore"/>. The only thing the browser's cookie refers to.
    /// </summary>
    public const string SessionId = "hc_sid";

    public const string Subject = "sub";
    public const string Name = "name";
    public const string Email = "email";
    public const string Role = "role";
}
