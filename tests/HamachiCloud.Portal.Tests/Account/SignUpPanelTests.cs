using System.Net;
using AngleSharp.Dom;
using Bunit;
using HamachiCloud.Portal.Components.Account;

namespace HamachiCloud.Portal.Tests.Account;

/// <summary>The sign-up page's form: messages next to each field, the Api's answers, then "check your mail".</summary>
public sealed class SignUpPanelTests : IAsyncLifetime
{
    private readonly StubApi _api = new();
    private readonly BunitContext _ctx;

    public SignUpPanelTests() => _ctx = _api.Context();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    private static string Field(IRenderedComponent<SignUpPanel> cut, string testId) =>
        cut.Find($"input[data-testid='{testId}']").Closest(".mud-input-control")!.TextContent;

    private IRenderedComponent<SignUpPanel> RenderFilled(string email = "alex@example.com", string confirm = "correct horse") =>
        _ctx.Render<SignUpPanel>(p => p.Add(c => c.Form, new SignUpForm
        {
            Email = email,
            DisplayName = "Alex",
            Password = "correct horse",
            ConfirmPassword = confirm,
        }));

    [Fact]
    public void Sending_an_empty_form_shows_a_message_next_to_each_field_and_sends_nothing()
    {
        var cut = _ctx.Render<SignUpPanel>();
        cut.Find("form").Submit();

        Assert.Contains("Enter your email address.", Field(cut, "signup-email"));
        Assert.Contains("Enter the name others will see.", Field(cut, "signup-display-name"));
        Assert.Contains("Enter a password.", Field(cut, "signup-password"));
        Assert.Contains("Type the password again.", Field(cut, "signup-confirm-password"));
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public void A_field_shows_its_message_once_left_not_before()
    {
        var cut = _ctx.Render<SignUpPanel>();
        var password = cut.Find("input[data-testid='signup-password']");
        password.Input("short");
        Assert.DoesNotContain("(this is 5)", Field(cut, "signup-password"));

        cut.Find("input[data-testid='signup-password']").Blur();
        Assert.Contains("At least 10 characters (this is 5).", Field(cut, "signup-password"));
        Assert.DoesNotContain("Enter your email address.", Field(cut, "signup-email"));
    }

    [Fact]
    public void Mismatched_passwords_are_caught_before_sending()
    {
        var cut = RenderFilled(confirm: "correct horsE");
        cut.Find("form").Submit();
        Assert.Contains("The passwords do not match.", Field(cut, "signup-confirm-password"));
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public void A_taken_email_is_explained_next_to_the_email()
    {
        _api.Respond = _ => StubApi.Problem(409, "email_taken", "an account with alex@example.com already exists");
        var cut = RenderFilled();
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("An account with this email already exists", Field(cut, "signup-email")));
        Assert.Single(_api.Requests);
        Assert.Equal("/api/v1/accounts/register", _api.Requests[0].Path);
        Assert.Empty(cut.FindAll("[role=alert]"));
    }

    [Fact]
    public void The_apis_field_errors_land_on_their_fields()
    {
        _api.Respond = _ => StubApi.Problem(400, "weak_password", "Passwords must have at least one digit ('0'-'9').",
            new() { ["password"] = ["Passwords must have at least one digit ('0'-'9')."] });
        var cut = RenderFilled();
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("Passwords must have at least one digit", Field(cut, "signup-password")));
        Assert.DoesNotContain("digit", Field(cut, "signup-email"));
    }

    [Fact]
    public void After_sign_up_the_page_says_where_the_link_went_and_can_send_it_again()
    {
        _api.Respond = r => r.RequestUri!.AbsolutePath.EndsWith("register", StringComparison.Ordinal)
            ? StubApi.Json(HttpStatusCode.OK, new { id = Guid.NewGuid(), email = "alex@example.com", displayName = "Alex", roles = Array.Empty<string>(), plan = "Free", deviceCount = 0, maxDevices = 5, createdAt = DateTimeOffset.UnixEpoch })
            : new HttpResponseMessage(HttpStatusCode.Accepted);
        var cut = RenderFilled(email: " alex@example.com ");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("Check your mail", cut.Markup));
        Assert.Contains("alex@example.com", cut.Find("h1").Parent!.TextContent);
        Assert.Contains("\"email\":\"alex@example.com\"", _api.Requests[0].Body);

        cut.Find("[data-testid='resend-confirmation']").Click();
        cut.WaitForAssertion(() => Assert.Contains("We sent another link to alex@example.com.", cut.Markup));
        Assert.Equal("/api/v1/accounts/resend-confirmation", _api.Requests[1].Path);
    }
}
