using System.Security.Claims;
using HamachiCloud.Api.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;

namespace HamachiCloud.Api.Identity;

/// <summary>
/// The account behind a bearer token on <c>POST /connect/verify</c> (the Portal approving a device
/// code for its signed-in user): an OAuth access token (personal API tokens cannot mint sign-ins)
/// with scope api or write, of an account that may sign in. Anything else is a problem, never a pass.
/// </summary>
internal static class DeviceApproval
{
    public static async Task<User> BearerUserAsync(HttpContext ctx, UserManager<User> users)
    {
        var result = await ctx.AuthenticateAsync(OpenIddictSetup.ValidationScheme);
        if (!result.Succeeded || result.Principal is null)
        {
            throw new ApiProblemException(401, ErrorCodes.Unauthorized, "approving a device code needs a valid OAuth access token ('Authorization: Bearer …')");
        }

        if (!result.Principal.FindAll(AuthSchemes.ScopeClaim).Any(c => c.Value is AuthSchemes.ApiScope or AuthSchemes.WriteScope))
        {
            throw ApiProblemException.Forbidden("the access token does not allow changes (scope api or write needed)");
        }

        var user = await users.FindByIdAsync(result.Principal.UserId().ToString());
        if (user is null)
        {
            throw ApiProblemException.Forbidden("the account is not available");
        }

        return user.MustChangePassword
            ? throw new ApiProblemException(403, ErrorCodes.PasswordChangeRequired, "change the one-time password before approving devices")
            : user;
    }

    /// <summary>
    /// OpenIddict creates the device flow's authorization at <c>/connect/device</c>, before anyone signed in, so
    /// without a subject: the approving account becomes its subject, so that the <c>hamachi login</c> is one of
    /// the account's sessions (listed, and revoked by "sign out everywhere", a password change or reset).
    /// </summary>
    public static async Task ClaimAuthorizationAsync(IOpenIddictAuthorizationManager authorizations, ClaimsPrincipal userCode, User user, CancellationToken ct)
    {
        var id = userCode.GetAuthorizationId();
        var authorization = string.IsNullOrEmpty(id) ? null : await authorizations.FindByIdAsync(id, ct);
        if (authorization is null)
        {
            return;
        }

        var subject = await authorizations.GetSubjectAsync(authorization, ct);
        if (!string.IsNullOrEmpty(subject))
        {
            if (subject != user.Id.ToString())
            {
                throw ApiProblemException.Forbidden("this device code belongs to another account's sign-in");
            }

            return;
        }

        var descriptor = new OpenIddictAuthorizationDescriptor();
        await authorizations.PopulateAsync(descriptor, authorization, ct);
        descriptor.Subject = user.Id.ToString();
        await authorizations.PopulateAsync(authorization, descriptor, ct);
        await authorizations.UpdateAsync(authorization, ct);
    }
}
