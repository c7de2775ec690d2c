using System.Net;
using HamachiCloud.Api.Identity;

namespace HamachiCloud.Api.Tests;

/// <summary>The open-redirect guard on the sign-in pages' return URLs (security issue, item 4).</summary>
public sealed class ReturnUrlTests(SqliteWorld world) : IClassFixture<SqliteWorld>
{
    [Theory]
    [InlineData("/", true)]
    [InlineData("/connect/authorize?client_id=hamachi-portal&x=%2F%2F", true)]
    [InlineData("//evil.example", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("/\t/evil.example", false)]
    [InlineData("/\n/evil.example", false)]
    [InlineData("/ /evil.example", false)]
    [InlineData("/\u00a0/evil.example", false)]
    [InlineData("/a\rb", false)]
    [InlineData("https://evil.example/", false)]
    [InlineData("evil.example", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_same_site_paths_without_control_characters_or_whitespace_pass(string? url, bool local) =>
        Assert.Equal(local, ReturnUrls.IsLocal(url));

    [Theory]
    [InlineData("/%09/evil.example")]
    [InlineData("/%0a/evil.example")]
    [InlineData("/x%0d%0aSet-Cookie:%20a=b")]
    public async Task A_return_url_that_a_browser_would_turn_into_another_site_leads_home(string encoded)
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f, "redirect");
        using var browser = OAuthFlows.Browser(f);
        var page = await browser.GetAsync("/account/login?ReturnUrl=" + encoded);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        using var post = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = user.Email,
            ["password"] = user.Password,
            ["returnUrl"] = Uri.UnescapeDataString(encoded),
            ["__RequestVerificationToken"] = OAuthFlows.Antiforgery(html),
        }));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal("/", post.Headers.Location!.OriginalString);
    }
}
