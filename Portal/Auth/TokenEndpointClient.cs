using System.Text.Json;
using HamachiCloud.Portal.Hosting;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Portal.Auth;

/// <summary>
/// The Api's OAuth endpoints the Portal calls itself (the sign-in redirect is the OIDC handler's):
/// <c>/connect/token</c> with a refresh token, and <c>/connect/revoke</c> at sign-out.
/// </summary>
public sealed class TokenEndpointClient(IHttpClientFactory http, IOptions<PortalOptions> options, TimeProvider clock, ILogger<TokenEndpointClient> log)
{
    public const string HttpClientName = "hamachi-oauth";

    /// <summary>
    /// A new token set from <paramref name="refreshToken"/>, or null when the Api refuses it
    /// (revoked, expired, account disabled). Transport failures throw <see cref="HttpRequestException"/>.
    /// </summary>
    public async Task<TokenSet?> RefreshAsync(string refreshToken, string? idToken, CancellationToken ct)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = options.Value.ClientId,
            ["refresh_token"] = refreshToken,
        });
        using var response = await http.CreateClient(HttpClientName).PostAsync("connect/token", content, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            if ((int)response.StatusCode >= 500)
            {
                throw new HttpRequestException($"refresh the access token at {options.Value.ApiUrl}/connect/token: {(int)response.StatusCode}");
            }

            log.LogInformation("refresh token refused by the Api: {Status} {Body}", (int)response.StatusCode, Truncate(body));
            return null;
        }

        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var access = root.GetProperty("access_token").GetString()
            ?? throw new HttpRequestException("refresh the access token: the answer has no access_token");
        var expiresIn = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var s) ? s : 300;
        var refresh = root.TryGetProperty("refresh_token", out var r) ? r.GetString() : null;
        var id = root.TryGetProperty("id_token", out var i) ? i.GetString() : null;
        return new TokenSet(access, refresh ?? refreshToken, id ?? idToken, clock.GetUtcNow().AddSeconds(expiresIn));
    }

    /// <summary>Revokes a token at the Api; failures are logged, not thrown (sign-out goes on).</summary>
    public async Task RevokeAsync(string token, string hint, CancellationToken ct)
    {
        try
        {
            using var content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = options.Value.ClientId,
                ["token"] = token,
                ["token_type_hint"] = hint,
            });
            using var response = await http.CreateClient(HttpClientName).PostAsync("connect/revoke", content, ct);
            if (!response.IsSuccessStatusCode)
            {
                log.LogWarning("revoke the {Hint} at the Api: {Status} {Body}", hint, (int)response.StatusCode, Truncate(await response.Content.ReadAsStringAsync(ct)));
            }
        }
        catch (HttpRequestException e)
        {
            log.LogWarning("revoke the {Hint} at the Api {ApiUrl}: {Error}", hint, options.Value.ApiUrl, e.Message);
        }
    }

    private static string Truncate(string s) => s.Length > 300 ? s[..300] : s;
}
