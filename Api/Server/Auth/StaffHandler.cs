using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace HamachiCloud.Api.Auth;

/// <summary>The caller's account holds a staff role (admin or support): the staff policies' requirement.</summary>
internal sealed class StaffRequirement : IAuthorizationRequirement;

/// <summary>
/// Checks <see cref="StaffRequirement"/> in the authorization step, before the endpoint binds its body, so every route of
/// a staff group answers 403 to everyone else whatever they send. The services still call
/// <see cref="StaffAccess.RequireAsync"/> (which adds the two-factor rule and its own error code).
/// </summary>
internal sealed class StaffHandler(UserManager<User> users, StaffAccess staff) : AuthorizationHandler<StaffRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, StaffRequirement requirement)
    {
        var sub = context.User.FindFirstValue(AuthSchemes.SubjectClaim) ?? context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (sub is not null && await users.FindByIdAsync(sub) is { } user && await staff.IsStaffAsync(user))
        {
            context.Succeed(requirement);
        }
    }
}
