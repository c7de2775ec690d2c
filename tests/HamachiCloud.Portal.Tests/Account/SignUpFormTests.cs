using HamachiCloud.Portal.Components.Account;

namespace HamachiCloud.Portal.Tests.Account;

/// <summary>Each of the sign-up form's own checks (the Api checks again).</summary>
public sealed class SignUpFormTests
{
    private static SignUpForm Valid() => new()
    {
        Email = "alex@example.com",
        DisplayName = "Alex",
        Password = "correct horse",
        ConfirmPassword = "correct horse",
    };

    [Fact]
    public void A_complete_form_is_valid_and_sends_trimmed_values()
    {
        var form = Valid();
        form.Email = "  alex@example.com ";
        form.DisplayName = " Alex ";
        Assert.True(form.IsValid);
        var request = form.ToRequest();
        Assert.Equal(("alex@example.com", "Alex", "correct horse"), (request.Email, request.DisplayName, request.Password));
    }

    [Theory]
    [InlineData("", "Enter your email address.")]
    [InlineData("   ", "Enter your email address.")]
    [InlineData("alex", "Enter an email address like name@example.com.")]
    [InlineData("alex@", "Enter an email address like name@example.com.")]
    [InlineData("Alex <alex@example.com>", "Enter an email address like name@example.com.")]
    public void Bad_emails_get_a_message(string email, string message)
    {
        var form = Valid();
        form.Email = email;
        Assert.Equal(message, form.EmailError());
        Assert.False(form.IsValid);
    }

    [Fact]
    public void A_200_character_email_without_an_at_sign_is_not_an_address() =>
        Assert.Equal("Enter an email address like name@example.com.", AccountRules.EmailError(new string('a', 200)));

    [Fact]
    public void An_email_longer_than_254_characters_is_refused_with_its_length() =>
        Assert.Equal("At most 254 characters (this is 262).", AccountRules.EmailError(new string('a', 250) + "@example.com"));

    [Theory]
    [InlineData("", "Enter the name others will see.")]
    [InlineData("  ", "Enter the name others will see.")]
    [InlineData("Al\u0007ex", "No control characters.")]
    public void Bad_display_names_get_a_message(string name, string message)
    {
        var form = Valid();
        form.DisplayName = name;
        Assert.Equal(message, form.DisplayNameError());
        Assert.False(form.IsValid);
    }

    [Fact]
    public void A_200_character_display_name_is_refused_with_its_length()
    {
        var form = Valid();
        form.DisplayName = new string('n', 200);
        Assert.Equal("At most 64 characters (this is 200).", form.DisplayNameError());
        Assert.False(form.IsValid);
    }

    [Theory]
    [InlineData("", "Enter a password.")]
    [InlineData("short", "At least 10 characters (this is 5).")]
    [InlineData("123456789", "At least 10 characters (this is 9).")]
    public void Short_or_empty_passwords_get_a_message(string password, string message)
    {
        var form = Valid();
        form.Password = password;
        form.ConfirmPassword = password;
        Assert.Equal(message, form.PasswordError());
        Assert.False(form.IsValid);
    }

    [Fact]
    public void Ten_characters_are_enough_and_257_too_many()
    {
        Assert.Null(AccountRules.NewPasswordError("1234567890"));
        Assert.Null(AccountRules.NewPasswordError(new string('p', 200)));
        Assert.Equal("At most 256 characters (this is 257).", AccountRules.NewPasswordError(new string('p', 257)));
    }

    [Theory]
    [InlineData("", "Type the password again.")]
    [InlineData("correct horsE", "The passwords do not match.")]
    public void The_confirmation_must_match(string confirm, string message)
    {
        var form = Valid();
        form.ConfirmPassword = confirm;
        Assert.Equal(message, form.ConfirmPasswordError());
        Assert.False(form.IsValid);
    }
}
