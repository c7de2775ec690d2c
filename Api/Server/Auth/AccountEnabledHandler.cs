using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace HamachiCloud.Api.Auth;

/// <summary>The caller's account is not disabled by support (every REST and Portal-hub policy requires it).</summary>
internal sealed class AccountEnabledRequirement : IAuthorizationRequirement;

/// <summary>
/// Fails the request of an account disabled by support (<see cref="User.DisabledAt"/>), whatever token it carries (OAuth or
/// personal): one lookup by key per request, so a disable holds on every Api node at once. Fails when the subject is
/// missing or not an id (deny on anything unexpected).
/// </summary>
internal sealed class AccountEnabledHandler(HamachiDbContext db) : AuthorizationHandler<AccountEnabledRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AccountEnabledRequirement requirement)
    {
        var sub = context.User.FindFirstValue(AuthSchemes.SubjectClaim) ?? context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (Guid.TryParse(sub, out var id) && await db.Users.AnyAsync(u => u.Id == id && u.DisabledAt == null))
        {
            context.Succeed(requirement);
        }
    }
}
