using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.SignIn;

/// <summary>
/// Identity's user manager without its lockout: wrong passwords and codes are slowed by
/// <see cref="SignInThrottle"/> instead, so nobody can lock an account (or its token refresh) by
/// guessing on purpose. With lockout unsupported, Identity's sign-in and two-factor steps neither count
/// failures nor refuse an account for them.
/// </summary>
internal sealed class HamachiUserManager(
    IUserStore<User> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<User> passwordHasher,
    IEnumerable<IUserValidator<User>> userValidators,
    IEnumerable<IPasswordValidator<User>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<User>> logger)
    : UserManager<User>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override bool SupportsUserLockout => false;
}
