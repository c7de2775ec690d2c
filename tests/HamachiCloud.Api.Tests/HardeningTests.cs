using System.Net;
using System.Text;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Issue 12, item 11: inputs that answered 500 answer 4xx, and every response carries the security
/// headers (nosniff, referrer policy, frame refusal, a Content-Security-Policy on pages).
/// </summary>
public sealed class HardeningTests(SqliteWorld world) : IClassFixture<SqliteWorld>
{
    [Fact]
    public async Task A_verify_post_without_antiforgery_is_a_400_not_a_500()
    {
        var f = await world.GetAsync();
        var user = await TestUser.CreateAsync(f, "verify");
        using var browser = OAuthFlows.Browser(f);
        using var login = await OAuthFlows.LoginAsync(browser, user.Email, user.Password);
        using var post = await browser.PostAsync("/connect/verify", new FormUrlEncodedContent(new Dictionary<string, string> { ["user_code"] = "ABCD-EFGH", ["submit.Accept"] = "Yes" }));
        Assert.InRange((int)post.StatusCode, 400, 499);
    }

    [Fact]
    public async Task A_four_megabyte_form_field_on_the_token_endpoint_is_a_4xx_not_a_500()
    {
        var f = await world.GetAsync();
        using var http = f.CreateClient();
        var body = "grant_type=password&client_id=hamachi-cli&username=" + new string('a', 4 * 1024 * 1024);
        using var post = await http.PostAsync("/connect/token", new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.InRange((int)post.StatusCode, 400, 499);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/api/v1/me")]
    [InlineData("/account/login")]
    public async Task Responses_carry_the_security_headers(string path)
    {
        var f = await world.GetAsync();
        using var http = f.CreateClient();
        using var response = await http.GetAsync(path);
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.NotNull(Single(response, "Referrer-Policy"));
        if (path.StartsWith("/account", StringComparison.Ordinal))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var csp = Single(response, "Content-Security-Policy");
            Assert.Contains("default-src", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        }
    }

    private static string? Single(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? values.Single() : null;
}
