using System.Net;
using System.Text.RegularExpressions;

namespace HamachiCloud.Api.Tests;

/// <summary>The Api's own pages: one cacheable stylesheet, no inline styles, labelled inputs, links to the Portal, values encoded.</summary>
public sealed partial class AccountPagesTests(SqliteAccountWorld world) : IClassFixture<SqliteAccountWorld>
{
    [Fact]
    public async Task The_sign_in_page_uses_the_shared_stylesheet_and_links_to_the_portal()
    {
        var f = await world.GetAsync();
        using var http = f.CreateClient();
        var page = await http.GetStringAsync("/account/login?ReturnUrl=" + Uri.EscapeDataString("/connect/authorize?x=\"><script>"));
        Assert.DoesNotContain("<style", page, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.Ordinal);
        Assert.Contains("&quot;&gt;&lt;script&gt;", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"{AccountWorld.PortalUrl}/signup\"", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"{AccountWorld.PortalUrl}/account/forgot-password\"", page, StringComparison.Ordinal);
        Assert.Contains("name=\"viewport\"", page, StringComparison.Ordinal);

        // Every visible input has a label tied to it.
        foreach (Match input in VisibleInputId().Matches(page))
        {
            Assert.Contains($"<label for=\"{input.Groups[1].Value}\"", page, StringComparison.Ordinal);
        }

        var css = StylesheetLink().Match(page);
        Assert.True(css.Success, page);
        using var response = await http.GetAsync(WebUtility.HtmlDecode(css.Groups[1].Value));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("immutable", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("#594ae2", text, StringComparison.Ordinal);
        Assert.Contains("prefers-color-scheme:dark", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_sign_in_shows_an_alert_next_to_the_form_and_keeps_the_email()
    {
        var f = await world.GetAsync();
        using var browser = OAuthFlows.Browser(f);
        var response = await OAuthFlows.LoginAsync(browser, "someone<b>@example.test", "wrong password");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("role=\"alert\"", page, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"someone&lt;b&gt;@example.test\"", page, StringComparison.Ordinal);
    }

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"(/account/hamachi\\.css\\?v=[0-9a-f]{12})\">")]
    private static partial Regex StylesheetLink();

    [GeneratedRegex("<input id=\"([^\"]+)\"")]
    private static partial Regex VisibleInputId();
}
