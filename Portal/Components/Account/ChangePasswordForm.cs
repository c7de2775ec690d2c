using HamachiCloud.Api.Contracts.Accounts;

namespace HamachiCloud.Portal.Components.Account;

/// <summary>The change-password form: the current password, the new one twice.</summary>
public sealed class ChangePasswordForm
{
    public string CurrentPassword { get; set; } = "";

    public string NewPassword { get; set; } = "";

    public string ConfirmPassword { get; set; } = "";

    public string? CurrentPasswordError() => string.IsNullOrEmpty(CurrentPassword) ? "Enter your current password." : null;

    public string? NewPasswordError() =>
        AccountRules.NewPasswordError(NewPassword)
        ?? (NewPassword == CurrentPassword ? "Choose a password different from the current one." : null);

    public string? ConfirmPasswordError() => AccountRules.ConfirmError(NewPassword, ConfirmPassword);

    public bool IsValid => CurrentPasswordError() is null && NewPasswordError() is null && ConfirmPasswordError() is null;

    public ChangePasswordRequest ToRequest() => new(CurrentPassword, NewPassword);
}
