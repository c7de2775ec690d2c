using HamachiCloud.Api.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Auth;

/// <summary>
/// The check every staff-only operation starts with: the account is support staff or an admin and, when
/// <c>Identity:RequireTwoFactorForStaff</c> is on, has two-factor authentication enabled
/// (403 <c>two_factor_required</c> otherwise). Denies when the account is gone.
/// </summary>
internal sealed class StaffAccess(UserManager<User> users, IOptions<IdentityServerOptions> identity)
{
    public static readonly string[] StaffRoles = [Roles.Admin, Roles.Support];

    /// <summary>Throws 403 unless <paramref name="userId"/> may act as staff now; <paramref name="what"/> names the operation.</summary>
    public async Task RequireAsync(Guid userId, string what)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || !await IsStaffAsync(user))
        {
            throw ApiProblemException.Forbidden($"only support staff can {what}");
        }

        if (identity.Value.RequireTwoFactorForStaff && !user.TwoFactorEnabled)
        {
            throw new ApiProblemException(403, ErrorCodes.TwoFactorRequired,
                $"staff accounts must turn on two-factor authentication before they can {what} (POST /api/v1/me/two-factor/setup, then /enable)");
        }
    }

    /// <summary>Whether the account holds a staff role (admin or support).</summary>
    public async Task<bool> IsStaffAsync(User user)
    {
        var roles = await users.GetRolesAsync(user);
        return roles.Any(r => StaffRoles.Contains(r, StringComparer.Ordinal));
    }

    /// <summary>Whether this account must keep two-factor authentication on.</summary>
    public async Task<bool> TwoFactorRequiredAsync(User user) => identity.Value.RequireTwoFactorForStaff && await IsStaffAsync(user);
}
