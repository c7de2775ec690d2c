using System.Net;
using AngleSharp.Dom;
using Bunit;
using HamachiCloud.Portal.Components.Account;

namespace HamachiCloud.Portal.Tests.Account;

/// <summary>The reset-password page: the new password twice, the link's problems explained, then Sign in.</summary>
public sealed class ResetPasswordPanelTests : IAsyncLifetime
{
    private readonly StubApi _api = new();
    private readonly BunitContext _ctx;

    public ResetPasswordPanelTests() => _ctx = _api.Context();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    private IRenderedComponent<ResetPasswordPanel> Render(string? email, string? code, string password = "new password 1", string confirm = "new password 1") =>
        _ctx.Render<ResetPasswordPanel>(p => p
            .Add(c => c.Email, email)
            .Add(c => c.Code, code)
            .Add(c => c.Form, new ResetPasswordForm { NewPassword = password, ConfirmPassword = confirm }));

    private static string Field(IRenderedComponent<ResetPasswordPanel> cut, string testId) =>
        cut.Find($"input[data-testid='{testId}']").Closest(".mud-input-control")!.TextContent;

    [Theory]
    [InlineData("", "", "Enter a password.", "Type the password again.")]
    [InlineData("short", "short", "At least 10 characters (this is 5).", null)]
    [InlineData("new password 1", "new password 2", null, "The passwords do not match.")]
    public void Bad_values_are_explained_next_to_the_fields(string password, string confirm, string? passwordMessage, string? confirmMessage)
    {
        var cut = Render("alex@example.com", "abc", password, confirm);
        cut.Find("form").Submit();

        if (passwordMessage is not null)
        {
            Assert.Contains(passwordMessage, Field(cut, "reset-new-password"));
        }

        if (confirmMessage is not null)
        {
            Assert.Contains(confirmMessage, Field(cut, "reset-confirm-password"));
        }

        Assert.Empty(_api.Requests);
    }

    [Theory]
    [InlineData(null, "abc")]
    [InlineData("alex@example.com", null)]
    public void An_incomplete_link_says_so_and_offers_a_new_one(string? email, string? code)
    {
        var cut = Render(email, code);
        Assert.Contains("This link is incomplete", cut.Find("[data-testid='reset-link-problem']").TextContent);
        Assert.Contains("/account/forgot-password", cut.Markup);
        Assert.Empty(cut.FindAll("form"));
    }

    [Fact]
    public void An_expired_or_used_code_is_explained_with_a_way_to_get_a_new_link()
    {
        _api.Respond = _ => StubApi.Problem(400, "invalid_token", "this password reset link is invalid, already used or expired",
            new() { ["code"] = ["is invalid, already used or expired"] });
        var cut = Render("alex@example.com", "old-code");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("invalid, already used or expired. Ask for a new one.",
            cut.Find("[data-testid='reset-link-problem']").TextContent));
    }

    [Fact]
    public void A_weak_password_the_api_refuses_shows_next_to_the_new_password()
    {
        _api.Respond = _ => StubApi.Problem(400, "weak_password", "weak", new() { ["newPassword"] = ["Passwords must have at least one uppercase ('A'-'Z')."] });
        var cut = Render("alex@example.com", "abc");
        cut.Find("form").Submit();
        cut.WaitForAssertion(() => Assert.Contains("Passwords must have at least one uppercase", Field(cut, "reset-new-password")));
    }

    [Fact]
    public void A_good_reset_sends_the_links_email_and_code_then_offers_sign_in()
    {
        _api.Respond = _ => new HttpResponseMessage(HttpStatusCode.NoContent);
        var cut = Render(" alex@example.com", "the-code");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("Your password was changed", cut.Find("[data-testid='reset-done']").TextContent));
        var (method, path, body) = Assert.Single(_api.Requests);
        Assert.Equal((HttpMethod.Post, "/api/v1/accounts/reset-password"), (method, path));
        Assert.Contains("\"email\":\"alex@example.com\"", body);
        Assert.Contains("\"code\":\"the-code\"", body);
        Assert.Contains("\"newPassword\":\"new password 1\"", body);
        Assert.Contains("href=\"/account/signin\"", cut.Markup);
    }
}
