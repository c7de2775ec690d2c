using System.Text.Json;
using HamachiCloud.Agent.State;

namespace HamachiCloud.Agent.Enrol;

/// <summary>
/// The OAuth 2.0 device authorization grant (RFC 8628) against the Api's identity server:
/// <c>/connect/device</c> with client <see cref="ClientId"/> (and the device's name and OS for the
/// approval page), show the Portal's URL with the code filled in (and its QR code), poll
/// <c>/connect/token</c> every <c>interval</c> seconds (+5 s on <c>slow_down</c>) until approved,
/// denied or expired.
/// </summary>
public sealed class DeviceFlow(HttpClient http, TimeProvider time)
{
    public const string ClientId = "hamachi-cli";
    public const string Scope = "api offline_access";
    private const string GrantType = "urn:ietf:params:oauth:grant-type:device_code";

    /// <param name="deviceName">Shown on the approval page (the --name value or the host name).</param>
    /// <param name="deviceOs">Shown on the approval page ("Linux 6.1 (Debian GNU/Linux 12)").</param>
    public async Task<StoredTokens> RunAsync(TextWriter stdout, CancellationToken ct, bool showQr = false, string? deviceName = null, string? deviceOs = null)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var fields = new List<(string, string)> { ("client_id", ClientId), ("scope", Scope) };
        if (!string.IsNullOrWhiteSpace(deviceName))
        {
            fields.Add(("device_name", deviceName));
        }

        if (!string.IsNullOrWhiteSpace(deviceOs))
        {
            fields.Add(("device_os", deviceOs));
        }

        using var start = await http.PostAsync("connect/device", Form([.. fields]), ct);
        var begun = await ReadAsync(start, ct);
        if (!start.IsSuccessStatusCode)
        {
            throw new IOException($"device authorization at {http.BaseAddress}connect/device failed: {Describe(begun)}");
        }

        var deviceCode = begun.GetProperty("device_code").GetString()!;
        var userCode = begun.GetProperty("user_code").GetString();
        var uri = begun.GetProperty("verification_uri").GetString();
        var complete = begun.TryGetProperty("verification_uri_complete", out var c) ? c.GetString() : null;
        var interval = TimeSpan.FromSeconds(begun.TryGetProperty("interval", out var i) && i.TryGetInt32(out var s) ? Math.Max(1, s) : 5);
        var expires = time.GetUtcNow().AddSeconds(begun.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var x) ? x : 600);

        if (complete is not null)
        {
            stdout.WriteLine($"To sign in, open {complete}");
            stdout.WriteLine($"and check that it shows the code {userCode} (or open {uri} and enter it).");
        }
        else
        {
            stdout.WriteLine($"To sign in, open {uri} and enter the code {userCode}");
        }

        if (showQr)
        {
            stdout.WriteLine();
            stdout.Write(TerminalQr.Render(complete ?? uri!));
        }

        stdout.WriteLine("Waiting for approval...");
        stdout.Flush();
        while (time.GetUtcNow() < expires)
        {
            await Task.Delay(interval, time, ct);
            using var poll = await http.PostAsync("connect/token", Form(("grant_type", GrantType), ("device_code", deviceCode), ("client_id", ClientId)), ct);
            var body = await ReadAsync(poll, ct);
            if (poll.IsSuccessStatusCode)
            {
                return new StoredTokens(body.GetProperty("access_token").GetString()!,
                    body.TryGetProperty("refresh_token", out var r) ? r.GetString() : null);
            }

            switch (body.TryGetProperty("error", out var err) ? err.GetString() : null)
            {
                case "authorization_pending":
                    continue;
                case "slow_down":
                    interval += TimeSpan.FromSeconds(5);
                    continue;
                case "access_denied":
                    throw new IOException("sign-in was denied in the browser");
                case "expired_token":
                    throw new IOException("the code expired before it was approved; run `hamachi login` again");
                default:
                    throw new IOException($"token request failed: {Describe(body)}");
            }
        }

        throw new IOException("the code expired before it was approved; run `hamachi login` again");
    }

    /// <summary>New tokens from a refresh token (the access token of the device flow lives an hour).</summary>
    public async Task<StoredTokens> RefreshAsync(string refreshToken, CancellationToken ct)
    {
        using var response = await http.PostAsync("connect/token", Form(("grant_type", "refresh_token"), ("client_id", ClientId), ("refresh_token", refreshToken)), ct);
        var body = await ReadAsync(response, ct);
        return response.IsSuccessStatusCode
            ? new StoredTokens(body.GetProperty("access_token").GetString()!, body.TryGetProperty("refresh_token", out var r) ? r.GetString() : refreshToken)
            : throw new IOException($"refreshing the sign-in failed: {Describe(body)}");
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            return JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new IOException($"{response.RequestMessage?.RequestUri}: HTTP {(int)response.StatusCode}, not JSON: {text[..Math.Min(200, text.Length)]}");
        }
    }

    private static string Describe(JsonElement body) =>
        body.TryGetProperty("error", out var e)
            ? $"{e.GetString()}{(body.TryGetProperty("error_description", out var d) ? ": " + d.GetString() : "")}"
            : body.ToString();
}
