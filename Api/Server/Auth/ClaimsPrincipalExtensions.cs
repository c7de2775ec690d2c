using System.Security.Claims;

namespace HamachiCloud.Api.Auth;

internal static class ClaimsPrincipalExtensions
{
    /// <summary>The account id ("sub") of an authenticated caller; 401 when there is none.</summary>
    public static Guid UserId(this ClaimsPrincipal user)
    {
        var sub = user.FindFirstValue(AuthSchemes.SubjectClaim) ?? user.FindFirstValue(ClaimTypes.NameIdentifier);
        return Guid.TryParse(sub, out var id)
            ? id
            : throw new ApiProblemException(401, ErrorCodes.Unauthorized, "no account in the credentials");
    }

    /// <summary>
    /// The OAuth authorization ("session") an access token was issued under (OpenIddict's <c>oi_au_id</c>);
    /// null for a personal API token or a token without one.
    /// </summary>
    public static Guid? SessionId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(OpenIddict.Abstractions.OpenIddictConstants.Claims.Private.AuthorizationId), out var id) ? id : null;
}
