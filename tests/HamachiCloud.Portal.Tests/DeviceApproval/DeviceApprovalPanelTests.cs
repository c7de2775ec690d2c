using System.Net;
using AngleSharp.Dom;
using Bunit;
using HamachiCloud.Portal.Components.DeviceApproval;

namespace HamachiCloud.Portal.Tests.DeviceApproval;

/// <summary>The /device page's states: lookup → details → decision; a bad code explained next to the field.</summary>
public sealed class DeviceApprovalPanelTests : IAsyncLifetime
{
    private readonly StubApi _api = new();
    private readonly BunitContext _ctx;

    public DeviceApprovalPanelTests() => _ctx = _api.Context();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.DisposeAsync().AsTask();

    private static HttpResponseMessage Pending() => StubApi.Json(HttpStatusCode.OK, new
    {
        userCode = "ABCD-EFGH",
        deviceName = "alex-laptop",
        deviceOs = "Linux (Debian 13)",
        requestedFrom = "203.0.113.7",
        requestedAt = DateTimeOffset.Parse("2025-05-01T10:00:00Z"),
        expiresAt = DateTimeOffset.Parse("2025-05-01T10:10:00Z"),
    });

    private static string CodeField(IRenderedComponent<DeviceApprovalPanel> cut) =>
        cut.Find("input[data-testid='device-code']").Closest(".mud-input-control")!.TextContent;

    private static IElement Button(IRenderedComponent<DeviceApprovalPanel> cut, string name) =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == name);

    [Fact]
    public void The_code_field_is_labelled_Code()
    {
        var cut = _ctx.Render<DeviceApprovalPanel>();
        var input = cut.Find("input[data-testid='device-code']");
        var label = cut.FindAll("label").Single(l => l.TextContent.Trim() == "Code");
        Assert.Equal(input.Id, label.GetAttribute("for"));
    }

    [Fact]
    public void A_code_from_the_url_is_looked_up_and_the_device_shown()
    {
        _api.Respond = _ => Pending();
        var cut = _ctx.Render<DeviceApprovalPanel>(p => p.Add(c => c.InitialCode, "abcd-efgh"));

        cut.WaitForAssertion(() => Assert.Equal("alex-laptop", cut.Find("[data-testid='device-name']").TextContent));
        Assert.Equal("Linux (Debian 13)", cut.Find("[data-testid='device-os']").TextContent);
        Assert.Equal("203.0.113.7", cut.Find("[data-testid='device-address']").TextContent);
        Assert.Equal("/api/v1/device-codes/ABCD-EFGH", Assert.Single(_api.Requests).Path);
        Assert.Equal("ABCD-EFGH", cut.Find("input[data-testid='device-code']").GetAttribute("value"));
        Assert.NotNull(Button(cut, "Approve"));
        Assert.NotNull(Button(cut, "Deny"));
    }

    [Fact]
    public void An_unknown_or_expired_code_is_explained_next_to_the_field()
    {
        _api.Respond = _ => StubApi.Problem(404, "device_code_not_found", "no pending sign-in has that code");
        var cut = _ctx.Render<DeviceApprovalPanel>();
        cut.Find("input[data-testid='device-code']").Change("WXYZ-0000");
        cut.Find("form").Submit();

        cut.WaitForAssertion(() => Assert.Contains("That code is invalid or has expired. Run `hamachi login` again.", CodeField(cut)));
        Assert.Empty(cut.FindAll("[data-testid='device-details']"));
        Assert.Empty(cut.FindAll("[role=alert]"));
    }

    [Theory]
    [InlineData("", "Enter the code `hamachi login` showed, like ABCD-EFGH.")]
    [InlineData("ab$d-efgh", "That code is invalid or has expired. Run `hamachi login` again.")]
    public void A_code_typed_wrong_is_refused_without_a_lookup(string code, string message)
    {
        var cut = _ctx.Render<DeviceApprovalPanel>();
        cut.Find("input[data-testid='device-code']").Change(code);
        cut.Find("form").Submit();
        Assert.Contains(message, CodeField(cut));
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public void Approve_posts_the_decision_and_says_the_device_finishes_by_itself()
    {
        _api.Respond = r => r.Method == HttpMethod.Get ? Pending() : new HttpResponseMessage(HttpStatusCode.Redirect)
        {
            Headers = { Location = new Uri("/connect/verify/done?approved=true", UriKind.Relative) },
        };
        var cut = _ctx.Render<DeviceApprovalPanel>(p => p.Add(c => c.InitialCode, "ABCD-EFGH"));
        cut.WaitForAssertion(() => Button(cut, "Approve"));
        Button(cut, "Approve").Click();

        cut.WaitForAssertion(() => Assert.Contains("Device approved: it finishes signing in by itself",
            cut.Find("[data-testid='device-result']").TextContent));
        var post = _api.Requests[1];
        Assert.Equal((HttpMethod.Post, "/connect/verify"), (post.Method, post.Path));
        Assert.Contains("action=approve", post.Body);
        Assert.Contains("user_code=ABCD-EFGH", post.Body);
    }

    [Fact]
    public void Deny_says_the_device_is_not_signed_in()
    {
        _api.Respond = r => r.Method == HttpMethod.Get ? Pending() : new HttpResponseMessage(HttpStatusCode.Redirect)
        {
            Headers = { Location = new Uri("/connect/verify/done?approved=false", UriKind.Relative) },
        };
        var cut = _ctx.Render<DeviceApprovalPanel>(p => p.Add(c => c.InitialCode, "ABCD-EFGH"));
        cut.WaitForAssertion(() => Button(cut, "Deny"));
        Button(cut, "Deny").Click();

        cut.WaitForAssertion(() => Assert.Contains("Request denied", cut.Find("[data-testid='device-result']").TextContent));
        Assert.Contains("action=deny", _api.Requests[1].Body);
    }

    [Fact]
    public void A_code_that_expired_before_the_decision_goes_back_to_the_field_with_the_message()
    {
        _api.Respond = r => r.Method == HttpMethod.Get ? Pending() : StubApi.Problem(400, "invalid_request", "the code expired");
        var cut = _ctx.Render<DeviceApprovalPanel>(p => p.Add(c => c.InitialCode, "ABCD-EFGH"));
        cut.WaitForAssertion(() => Button(cut, "Approve"));
        Button(cut, "Approve").Click();

        cut.WaitForAssertion(() => Assert.Contains("That code is invalid or has expired.", CodeField(cut)));
        Assert.Empty(cut.FindAll("[data-testid='device-result']"));
    }
}
