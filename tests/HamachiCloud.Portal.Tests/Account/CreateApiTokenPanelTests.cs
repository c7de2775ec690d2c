using System.Net;
using AngleSharp.Dom;
using Bunit;
using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Portal.Components.Account;

namespace HamachiCloud.Portal.Tests.Account;

/// <summary>Creating a personal API token: checks, the request, and the secret shown once.</summary>
public sealed class CreateApiTokenPanelTests : IAsyncLifetime
{
    private const string Secret = "hct_4f2b9c0e7d1a_secret-value";

    private readonly StubApi _api = new();
    private readonly BunitContext _ctx;

    public CreateApiTokenPanelTests() => _ctx = _api.Context();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    private static object Created(string name) => new
    {
        token = new
        {
            id = Guid.NewGuid(),
            name,
            prefix = "hct_4f2b",
            scopes = new[] { "read", "write" },
            createdAt = DateTimeOffset.Parse("2025-05-01T10:00:00Z"),
            expiresAt = DateTimeOffset.Parse("2025-05-08T10:00:00Z"),
        },
        secret = Secret,
    };

    [Theory]
    [InlineData("", 30, "Enter a name, e.g. backup script.", null)]
    [InlineData("backup", 0, null, "Between 1 and 365 days.")]
    [InlineData("backup", 366, null, "Between 1 and 365 days.")]
    public void The_form_checks_name_and_days(string name, int days, string? nameError, string? daysError)
    {
        var form = new CreateApiTokenForm { Name = name, ExpiresInDays = days };
        Assert.Equal(nameError, form.NameError());
        Assert.Equal(daysError, form.ExpiresInDaysError());
        Assert.False(form.IsValid);
    }

    [Fact]
    public void A_200_character_name_is_refused_before_sending()
    {
        var cut = _ctx.Render<CreateApiTokenPanel>(p => p.Add(c => c.Form, new CreateApiTokenForm { Name = new string('t', 200) }));
        cut.Find("form").Submit();
        Assert.Contains("At most 64 characters (this is 200).", cut.Find("input[data-testid='token-name']").Closest(".mud-input-control")!.TextContent);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public void The_secret_is_shown_once_with_a_warning_and_forgotten_when_done()
    {
        _api.Respond = _ => StubApi.Json(HttpStatusCode.Created, Created("backup"));
        ApiTokenDto? done = null;
        var cut = _ctx.Render<CreateApiTokenPanel>(p => p
            .Add(c => c.Form, new CreateApiTokenForm { Name = " backup ", Write = true, ExpiresInDays = 7 })
            .Add(c => c.OnDone, (ApiTokenDto t) => done = t));
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Equal(Secret, cut.Find("[data-testid='token-secret']").TextContent));
        Assert.Contains("You will not see it again.", cut.Find("[data-testid='token-secret-warning']").TextContent);
        Assert.Empty(cut.FindAll("form"));
        var (_, path, body) = Assert.Single(_api.Requests);
        Assert.Equal("/api/v1/me/tokens", path);
        Assert.Contains("\"name\":\"backup\"", body);
        Assert.Contains("\"scopes\":[\"read\",\"write\"]", body);
        Assert.Contains("\"expiresInDays\":7", body);

        cut.Find("[data-testid='token-done']").Click();
        Assert.NotNull(done);
        Assert.Equal("backup", done.Name);
        Assert.DoesNotContain(Secret, cut.Markup);
    }

    [Fact]
    public void Read_only_sends_only_the_read_scope()
    {
        _api.Respond = _ => StubApi.Json(HttpStatusCode.Created, Created("reader"));
        var cut = _ctx.Render<CreateApiTokenPanel>(p => p.Add(c => c.Form, new CreateApiTokenForm { Name = "reader" }));
        cut.Find("form").Submit();
        cut.WaitForAssertion(() => Assert.Single(_api.Requests));
        Assert.Contains("\"scopes\":[\"read\"]", _api.Requests[0].Body);
    }

    [Fact]
    public void The_apis_field_error_shows_next_to_the_name_and_no_secret_appears()
    {
        _api.Respond = _ => StubApi.Problem(400, "validation_failed", "invalid", new() { ["name"] = ["must not contain control characters"] });
        var cut = _ctx.Render<CreateApiTokenPanel>(p => p.Add(c => c.Form, new CreateApiTokenForm { Name = "backup" }));
        cut.Find("form").Submit();
        cut.WaitForAssertion(() => Assert.Contains("Name must not contain control characters.",
            cut.Find("input[data-testid='token-name']").Closest(".mud-input-control")!.TextContent));
        Assert.Empty(cut.FindAll("[data-testid='token-secret']"));
    }
}
