using HamachiCloud.Api.Contracts.Accounts;

namespace HamachiCloud.Portal.Components.Account;

/// <summary>The sign-up form's values and their checks (<see cref="AccountRules"/>).</summary>
public sealed class SignUpForm
{
    public string Email { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string Password { get; set; } = "";

    public string ConfirmPassword { get; set; } = "";

    public string? EmailError() => AccountRules.EmailError(Email);

    public string? DisplayNameError() => AccountRules.DisplayNameError(DisplayName);

    public string? PasswordError() => AccountRules.NewPasswordError(Password);

    public string? ConfirmPasswordError() => AccountRules.ConfirmError(Password, ConfirmPassword);

    public bool IsValid => EmailError() is null && DisplayNameError() is null && PasswordError() is null && ConfirmPasswordError() is null;

    public RegisterRequest ToRequest() => new(Email.Trim(), Password, DisplayName.Trim());
}
