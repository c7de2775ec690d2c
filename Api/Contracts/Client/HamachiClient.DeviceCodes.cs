using System.Net;
using HamachiCloud.Api.Contracts.DeviceCodes;

namespace HamachiCloud.Api.Contracts.Client;

/// <summary>Device-flow approval (the Portal's /device page) for a signed-in user.</summary>
public sealed partial class HamachiClient
{
    /// <summary>
    /// The pending <c>hamachi login</c> behind a user code (case and dashes do not matter);
    /// 404 <c>device_code_not_found</c> when the code is unknown or expired.
    /// </summary>
    public Task<DeviceCodeRequestDto> GetDeviceCodeRequestAsync(string userCode, CancellationToken ct = default) =>
        SendAsync<DeviceCodeRequestDto>(HttpMethod.Get, $"api/v1/device-codes/{Uri.EscapeDataString(userCode ?? "")}", null, ct);

    /// <summary>
    /// Approves or denies the code with this client's bearer token (an OAuth access token with scope
    /// <c>api</c>): the CLI's token poll then gets its tokens or <c>access_denied</c>. The Api answers
    /// with a redirect to <c>/connect/verify/done?approved=true|false</c>, which is success (whether or
    /// not the HttpClient follows it); a 400 (code invalid or expired) becomes a <see cref="HamachiApiException"/>.
    /// </summary>
    public async Task DecideDeviceCodeAsync(string userCode, bool approve, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "connect/verify")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["user_code"] = userCode ?? "",
                ["action"] = approve ? "approve" : "deny",
            }),
        };
        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        var done = response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther
            ? response.Headers.Location
            : response.IsSuccessStatusCode ? response.RequestMessage?.RequestUri : null;
        var doneQuery = done is null ? null : (done.IsAbsoluteUri ? done.PathAndQuery : done.OriginalString);
        if (doneQuery is not null && doneQuery.StartsWith("/connect/verify/done?approved=", StringComparison.Ordinal))
        {
            return;
        }

        if (response.IsSuccessStatusCode || (int)response.StatusCode is >= 300 and < 400)
        {
            throw new HamachiApiException(new ApiProblem((int)response.StatusCode, ErrorCodes.InternalError, "unexpected answer",
                $"POST connect/verify answered {(int)response.StatusCode} {done}; expected a redirect to /connect/verify/done", null));
        }

        throw new HamachiApiException(await ReadProblemAsync(response, ct).ConfigureAwait(false));
    }
}
