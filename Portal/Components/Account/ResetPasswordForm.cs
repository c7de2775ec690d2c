namespace HamachiCloud.Portal.Components.Account;

/// <summary>The reset-password form (new password twice); the email and code come from the mailed link.</summary>
public sealed class ResetPasswordForm
{
    public string NewPassword { get; set; } = "";

    public string ConfirmPassword { get; set; } = "";

    public string? NewPasswordError() => AccountRules.NewPasswordError(NewPassword);

    public string? ConfirmPasswordError() => AccountRules.ConfirmError(NewPassword, ConfirmPassword);

    public bool IsValid => NewPasswordError() is null && ConfirmPasswordError() is null;
}
