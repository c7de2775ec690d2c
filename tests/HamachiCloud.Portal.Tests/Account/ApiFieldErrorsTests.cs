using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Portal.ApiAccess;
using HamachiCloud.Portal.Components.Account;

namespace HamachiCloud.Portal.Tests.Account;

/// <summary>The Api's field messages read as sentences next to the field.</summary>
public sealed class ApiFieldErrorsTests
{
    private static PortalError Error(string field, params string[] messages) =>
        new("refused", "ref", new ApiProblem(400, "validation_failed", "t", "d", new Dictionary<string, string[]> { [field] = messages }));

    [Theory]
    [InlineData("is required (at most 256 characters)", "New password is required (at most 256 characters).")]
    [InlineData("must differ from the current password", "New password must differ from the current password.")]
    [InlineData("the current password is wrong", "The current password is wrong.")]
    [InlineData("Passwords must have at least one digit ('0'-'9').", "Passwords must have at least one digit ('0'-'9').")]
    public void Messages_become_sentences(string message, string expected) =>
        Assert.Equal(expected, ApiFieldErrors.For(Error("newPassword", message), "newPassword", "New password"));

    [Fact]
    public void Other_fields_and_no_problem_give_nothing()
    {
        Assert.Null(ApiFieldErrors.For(Error("email", "is taken"), "newPassword", "New password"));
        Assert.Null(ApiFieldErrors.For(null, "email", "Email"));
        Assert.True(ApiFieldErrors.AnyOf(Error("currentPassword", "x"), "email", "currentPassword"));
    }
}
