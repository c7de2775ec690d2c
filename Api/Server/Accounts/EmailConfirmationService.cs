using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Contracts.Accounts;
using Microsoft.AspNetCore.Identity;

namespace HamachiCloud.Api.Accounts;

/// <summary>
/// Confirming the email address with the mailed link, and mailing the link again. Neither tells whether
/// an address has an account: an unknown user and a wrong code get the same answer.
/// </summary>
internal sealed class EmailConfirmationService(UserManager<User> users, HamachiDbContext db, AuditLog audit, AccountMails mails)
{
    public async Task ConfirmAsync(ConfirmEmailRequest request, CancellationToken ct)
    {
        var token = AccountMails.Decode(request.Code);
        new Validator()
            .Check(request.UserId != Guid.Empty, "userId", "is required (the userId of the confirmation link)")
            .Check(!string.IsNullOrWhiteSpace(request.Code), "code", "is required (the code of the confirmation link)")
            .ThrowIfInvalid();

        var user = token is null ? null : await users.FindByIdAsync(request.UserId.ToString());
        if (user is null)
        {
            throw InvalidLink();
        }

        if (user.EmailConfirmed)
        {
            // A second click on the same link is fine; a wrong code still gets the same answer as for anyone.
            if (await users.VerifyUserTokenAsync(user, users.Options.Tokens.EmailConfirmationTokenProvider, UserManager<User>.ConfirmEmailTokenPurpose, token!))
            {
                return;
            }

            throw InvalidLink();
        }

        audit.Record(user.Id, "account.email_confirmed", "user", user.Id);
        var result = await users.ConfirmEmailAsync(user, token!); // saves the flag and the audit event together
        if (!result.Succeeded)
        {
            db.ChangeTracker.Clear();
            throw InvalidLink();
        }
    }

    public async Task ResendAsync(ResendConfirmationRequest request, CancellationToken ct)
    {
        new Validator().Check(EmailAddresses.IsValid(request.Email), "email", "must be an email address").ThrowIfInvalid();
        var user = await users.FindByEmailAsync(request.Email.Trim());
        if (user is { EmailConfirmed: false })
        {
            await mails.SendConfirmationAsync(user, ct);
        }
    }

    private static ApiProblemException InvalidLink() => new(400, ErrorCodes.InvalidToken,
        "this confirmation link is invalid or has expired; ask for a new one (POST /api/v1/accounts/resend-confirmation)",
        new Dictionary<string, string[]> { ["code"] = ["is invalid or has expired"] });
}
