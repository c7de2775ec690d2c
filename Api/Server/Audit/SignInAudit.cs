namespace HamachiCloud.Api.Audit;

/// <summary>
/// Sign-ins on the Api's sign-in page, successful or not, as audit events with the client's address: the account
/// (target "user"; empty id for an email that has no account, the email then in the details), the action and
/// why it failed. The actor is the account only for a successful sign-in (a failure may be anyone). Written at once (its own save): a refused sign-in changes nothing else.
/// </summary>
internal static class SignInAudit
{
    public const string SignedIn = "account.signed_in";
    public const string SignInFailed = "account.sign_in_failed";
    private const int MaxEmailShown = 254;

    public static async Task RecordAsync(HttpContext ctx, string action, User? user, string? email, string? why)
    {
        var audit = ctx.RequestServices.GetRequiredService<AuditLog>();
        var details = user is null ? $"no account for {Shorten(email)}" : why;
        audit.Record(action == SignedIn ? user?.Id : null, action, "user", user?.Id.ToString() ?? "", details);
        await ctx.RequestServices.GetRequiredService<HamachiDbContext>().SaveChangesAsync(ctx.RequestAborted);
    }

    private static string Shorten(string? email) =>
        email is null ? "(none)" : email.Length > MaxEmailShown ? email[..MaxEmailShown] : email;
}
