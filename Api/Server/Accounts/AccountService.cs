using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Contracts.Accounts;
using Microsoft.AspNetCore.Identity;

namespace HamachiCloud.Api.Accounts;

/// <summary>Registration (which mails the email confirmation link) and the account's own view of itself.</summary>
internal sealed class AccountService(HamachiDbContext db, UserManager<User> users, AuditLog audit, AccountMails mails, TimeProvider clock)
{
    public async Task<AccountDto> RegisterAsync(RegisterRequest request, CancellationToken ct)
    {
        new Validator()
            .Check(EmailAddresses.IsValid(request.Email), "email", "must be an email address")
            .Check(request.Password is { Length: > 0 and <= 256 }, "password", "is required (at most 256 characters)")
            .Name("displayName", request.DisplayName, required: false)
            .ThrowIfInvalid();

        var email = request.Email.Trim();
        var user = new User
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()),
            UserName = email,
            Email = email,
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? email.Split('@')[0] : request.DisplayName.Trim(),
            CreatedAt = clock.GetUtcNow(),
        };
        var result = await users.CreateAsync(user, request.Password);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName"))
            {
                throw ApiProblemException.Conflict(ErrorCodes.EmailTaken, $"an account with {email} already exists");
            }

            var errors = result.Errors.GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : "email")
                .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray());
            throw new ApiProblemException(400, errors.ContainsKey("password") ? ErrorCodes.WeakPassword : ErrorCodes.ValidationFailed,
                string.Join(" ", result.Errors.Select(e => e.Description)), errors);
        }

        audit.Record(user.Id, "account.registered", "user", user.Id);
        await db.SaveChangesAsync(ct);
        await mails.SendConfirmationAsync(user, ct);
        return await GetAsync(user.Id, ct);
    }

    public async Task<AccountDto> GetAsync(Guid userId, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(userId.ToString()) ?? throw new ApiProblemException(401, ErrorCodes.Unauthorized, "the account no longer exists");
        var roles = await users.GetRolesAsync(user);
        var plan = await db.Subscriptions
            .Where(s => s.UserId == userId && s.Status == SubscriptionStatus.Active)
            .Select(s => s.Plan!.Name)
            .FirstOrDefaultAsync(ct) ?? "Free";
        var devices = await db.Devices.CountAsync(d => d.UserId == userId, ct);
        return new AccountDto(user.Id, user.Email ?? "", user.DisplayName, roles.Order(StringComparer.Ordinal).ToList(), plan, devices, Plan.MaxDevicesPerAccount, user.CreatedAt,
            user.EmailConfirmed, user.TwoFactorEnabled);
    }
}
