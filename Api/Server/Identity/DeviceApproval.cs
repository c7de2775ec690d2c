using HamachiCloud.Api.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

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
}
