using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Identity;

/// <summary>
/// Identity's sign-in manager, except that an account disabled by support (<see cref="User.DisabledAt"/>) may not
/// sign in: the password step answers "not allowed" (before the password is checked), and so do the token
/// endpoint's refresh and code grants, which ask <see cref="CanSignInAsync"/> again.
/// </summary>
internal sealed class HamachiSignInManager(
    UserManager<User> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<User> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<User>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<User> confirmation)
    : SignInManager<User>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(User user) => user.DisabledAt is null && await base.CanSignInAsync(user);
}
