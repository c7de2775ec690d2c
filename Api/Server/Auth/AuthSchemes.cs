namespace HamachiCloud.Api.Auth;

/// <summary>Names of the authentication schemes and policies of the REST API.</summary>
internal static class AuthSchemes
{
    /// <summary>Policy scheme: personal API tokens (hc_pat_…) or OAuth access tokens.</summary>
    public const string Bearer = "Bearer";

    public const string ApiToken = "ApiToken";

    public const string SubjectClaim = "sub";
    public const string ScopeClaim = OpenIddict.Abstractions.OpenIddictConstants.Claims.Private.Scope;

    /// <summary>OAuth scope the Portal and the CLI ask for: full API access.</summary>
    public const string ApiScope = "api";

    /// <summary>Personal-token scopes.</summary>
    public const string ReadScope = "read";

    public const string WriteScope = "write";

    public const string ReadPolicy = "api.read";
    public const string WritePolicy = "api.write";

    /// <summary>Like <see cref="ReadPolicy"/> / <see cref="WritePolicy"/>, and the account holds a staff role (checked before the body is read).</summary>
    public const string StaffReadPolicy = "staff.read";
    public const string StaffWritePolicy = "staff.write";

    /// <summary>The Portal's live hub: an OAuth access token (not a personal token) with scope api.</summary>
    public const string LivePolicy = "portal.live";
}
