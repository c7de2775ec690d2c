using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Drives the real OAuth flows over HTTP as a browser and a client would: the sign-in form
/// (with its antiforgery token), authorization code + PKCE, the device flow and refresh.
/// </summary>
public static partial class OAuthFlows
{
    public const string PortalRedirect = "http://127.0.0.1:5080/signin-oidc";

    public sealed record Tokens(string AccessToken, string? RefreshToken);

    public static HttpClient Browser(ApiFactory f) =>
        f.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs the browser in through /account/login; returns the answer to the form post.</summary>
    public static async Task<HttpResponseMessage> LoginAsync(HttpClient browser, string email, string password, string returnUrl = "/")
    {
        var page = await browser.GetStringAsync("/account/login?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        return await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["password"] = password,
            ["returnUrl"] = returnUrl,
            ["__RequestVerificationToken"] = Antiforgery(page),
        }));
    }

    public static async Task<Tokens> SignInWithCodeAsync(ApiFactory f, string email, string password)
    {
        using var browser = Browser(f);
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = "/connect/authorize?client_id=hamachi-portal&response_type=code"
            + "&redirect_uri=" + Uri.EscapeDataString(PortalRedirect)
            + "&scope=" + Uri.EscapeDataString("openid profile offline_access api")
            + "&code_challenge=" + challenge + "&code_challenge_method=S256&state=s1";

        var first = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Contains("/account/login", first.Headers.Location!.ToString(), StringComparison.Ordinal);

        var login = await LoginAsync(browser, email, password, authorize);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        var second = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        var location = second.Headers.Location!.ToString();
        Assert.StartsWith(PortalRedirect, location, StringComparison.Ordinal);
        var code = Regex.Match(location, "[?&]code=([^&]+)").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(code), location);

        return await TokenAsync(browser, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "hamachi-portal",
            ["code"] = Uri.UnescapeDataString(code),
            ["redirect_uri"] = PortalRedirect,
            ["code_verifier"] = verifier,
        });
    }

    public static async Task<Tokens> RefreshAsync(HttpClient http, string clientId, string refreshToken) =>
        await TokenAsync(http, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = clientId,
            ["refresh_token"] = refreshToken,
        });

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostFormAsync(HttpClient http, string path, Dictionary<string, string> form)
    {
        using var response = await http.PostAsync(path, new FormUrlEncodedContent(form));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, body);
    }

    public static async Task<Tokens> TokenAsync(HttpClient http, Dictionary<string, string> form)
    {
        var (status, body) = await PostFormAsync(http, "/connect/token", form);
        Assert.True(status == HttpStatusCode.OK, $"token endpoint: {(int)status} {body}");
        return new Tokens(
            body.GetProperty("access_token").GetString()!,
            body.TryGetProperty("refresh_token", out var r) ? r.GetString() : null);
    }

    public static string Antiforgery(string html)
    {
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, "no antiforgery field in the page");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
