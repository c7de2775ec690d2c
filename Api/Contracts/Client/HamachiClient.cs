using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HamachiCloud.Api.Contracts.Accounts;
using HamachiCloud.Api.Contracts.Bans;
using HamachiCloud.Api.Contracts.Devices;
using HamachiCloud.Api.Contracts.Enrolment;
using HamachiCloud.Api.Contracts.Members;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Api.Contracts.Routes;
using HamachiCloud.Api.Contracts.SetupKeys;

namespace HamachiCloud.Api.Contracts.Client;

/// <summary>
/// The typed client of the REST API (/api/v1), used by the Portal, the CLI and the tests.
/// Every non-success answer becomes a <see cref="HamachiApiException"/> carrying the problem.
/// The <see cref="HttpClient"/> is owned by the caller (base address = the Api's root).
/// One partial file per feature group (<c>HamachiClient.&lt;Feature&gt;.cs</c>) for the newer calls.
/// </summary>
public sealed partial class HamachiClient
{
    private readonly HttpClient _http;

    public HamachiClient(HttpClient http)
    {
        _http = http;
    }

    /// <summary>Sends this bearer token (an OAuth access token or a personal API token) from now on.</summary>
    public void UseAccessToken(string? token) =>
        _http.DefaultRequestHeaders.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);

    // Accounts
    public Task<AccountDto> RegisterAsync(RegisterRequest request, CancellationToken ct = default) =>
        SendAsync<AccountDto>(HttpMethod.Post, "api/v1/accounts/register", request, ct);

    public Task<AccountDto> GetMeAsync(CancellationToken ct = default) => SendAsync<AccountDto>(HttpMethod.Get, "api/v1/me", null, ct);

    public Task<CreatedApiToken> CreateApiTokenAsync(CreateApiTokenRequest request, CancellationToken ct = default) =>
        SendAsync<CreatedApiToken>(HttpMethod.Post, "api/v1/me/tokens", request, ct);

    public Task<List<ApiTokenDto>> ListApiTokensAsync(CancellationToken ct = default) =>
        SendAsync<List<ApiTokenDto>>(HttpMethod.Get, "api/v1/me/tokens", null, ct);

    public Task RevokeApiTokenAsync(Guid id, CancellationToken ct = default) => SendAsync(HttpMethod.Delete, $"api/v1/me/tokens/{id}", null, ct);

    // Networks
    public Task<NetworkDto> CreateNetworkAsync(CreateNetworkRequest request, CancellationToken ct = default) =>
        SendAsync<NetworkDto>(HttpMethod.Post, "api/v1/networks", request, ct);

    public Task<List<NetworkDto>> ListNetworksAsync(CancellationToken ct = default) =>
        SendAsync<List<NetworkDto>>(HttpMethod.Get, "api/v1/networks", null, ct);

    public Task<NetworkDto> GetNetworkAsync(Guid id, CancellationToken ct = default) =>
        SendAsync<NetworkDto>(HttpMethod.Get, $"api/v1/networks/{id}", null, ct);

    public Task<NetworkDto> UpdateNetworkAsync(Guid id, UpdateNetworkRequest request, CancellationToken ct = default) =>
        SendAsync<NetworkDto>(HttpMethod.Patch, $"api/v1/networks/{id}", request, ct);

    public Task DeleteNetworkAsync(Guid id, CancellationToken ct = default) => SendAsync(HttpMethod.Delete, $"api/v1/networks/{id}", null, ct);

    /// <summary>Joins by the typed network id; the answer's MyStatus is Pending on approval networks.</summary>
    public Task<NetworkDto> JoinNetworkAsync(JoinNetworkRequest request, CancellationToken ct = default) =>
        SendAsync<NetworkDto>(HttpMethod.Post, "api/v1/networks/join", request, ct);

    public Task LeaveNetworkAsync(Guid id, CancellationToken ct = default) => SendAsync(HttpMethod.Post, $"api/v1/networks/{id}/leave", null, ct);

    /// <summary>The latest path report per device pair of the network (direct, relay or none; candidates tried; why not direct; RTT).</summary>
    public Task<List<Paths.PeerPathDto>> ListNetworkPathsAsync(Guid networkId, CancellationToken ct = default) =>
        SendAsync<List<Paths.PeerPathDto>>(HttpMethod.Get, $"api/v1/networks/{networkId}/paths", null, ct);

    // Members
    public Task<List<MemberDto>> ListMembersAsync(Guid networkId, CancellationToken ct = default) =>
        SendAsync<List<MemberDto>>(HttpMethod.Get, $"api/v1/networks/{networkId}/members", null, ct);

    public Task<MemberDto> ApproveMemberAsync(Guid networkId, Guid userId, CancellationToken ct = default) =>
        SendAsync<MemberDto>(HttpMethod.Post, $"api/v1/networks/{networkId}/members/{userId}/approve", null, ct);

    public Task<MemberDto> RejectMemberAsync(Guid networkId, Guid userId, CancellationToken ct = default) =>
        SendAsync<MemberDto>(HttpMethod.Post, $"api/v1/networks/{networkId}/members/{userId}/reject", null, ct);

    public Task<MemberDto> EvictMemberAsync(Guid networkId, Guid userId, CancellationToken ct = default) =>
        SendAsync<MemberDto>(HttpMethod.Post, $"api/v1/networks/{networkId}/members/{userId}/evict", null, ct);

    public Task<MemberDto> SetMemberRoleAsync(Guid networkId, Guid userId, SetRoleRequest request, CancellationToken ct = default) =>
        SendAsync<MemberDto>(HttpMethod.Put, $"api/v1/networks/{networkId}/members/{userId}/role", request, ct);

    public Task<MemberDto> SetHubRoleAsync(Guid networkId, Guid userId, SetHubRoleRequest request, CancellationToken ct = default) =>
        SendAsync<MemberDto>(HttpMethod.Put, $"api/v1/networks/{networkId}/members/{userId}/hub-role", request, ct);

    public Task<MemberDto> SetNicknameAsync(Guid networkId, SetNicknameRequest request, CancellationToken ct = default) =>
        SendAsync<MemberDto>(HttpMethod.Put, $"api/v1/networks/{networkId}/members/me/nickname", request, ct);

    // Gateway routes
    public Task<List<RouteDto>> ListRoutesAsync(Guid networkId, CancellationToken ct = default) =>
        SendAsync<List<RouteDto>>(HttpMethod.Get, $"api/v1/networks/{networkId}/routes", null, ct);

    public Task<RouteDto> ApproveRouteAsync(Guid networkId, Guid routeId, CancellationToken ct = default) =>
        SendAsync<RouteDto>(HttpMethod.Post, $"api/v1/networks/{networkId}/routes/{routeId}/approve", null, ct);

    public Task<RouteDto> RejectRouteAsync(Guid networkId, Guid routeId, CancellationToken ct = default) =>
        SendAsync<RouteDto>(HttpMethod.Post, $"api/v1/networks/{networkId}/routes/{routeId}/reject", null, ct);

    // Devices
    public Task<List<DeviceDto>> ListDevicesAsync(CancellationToken ct = default) =>
        SendAsync<List<DeviceDto>>(HttpMethod.Get, "api/v1/devices", null, ct);

    public Task<DeviceDto> RenameDeviceAsync(Guid id, RenameDeviceRequest request, CancellationToken ct = default) =>
        SendAsync<DeviceDto>(HttpMethod.Put, $"api/v1/devices/{id}/name", request, ct);

    /// <summary>Enrols a device: authorised by <see cref="EnrolRequest.SetupKey"/> or, without one, by the bearer token.</summary>
    public Task<EnrolResponse> EnrolAsync(EnrolRequest request, CancellationToken ct = default) =>
        SendAsync<EnrolResponse>(HttpMethod.Post, "api/v1/devices/enrol", request, ct);

    public Task<DeviceDto> SetDeviceAcceptRoutesAsync(Guid id, SetAcceptRoutesRequest request, CancellationToken ct = default) =>
        SendAsync<DeviceDto>(HttpMethod.Put, $"api/v1/devices/{id}/accept-routes", request, ct);

    public Task DeleteDeviceAsync(Guid id, CancellationToken ct = default) => SendAsync(HttpMethod.Delete, $"api/v1/devices/{id}", null, ct);

    // Setup keys
    public Task<CreatedSetupKey> CreateSetupKeyAsync(CreateSetupKeyRequest request, CancellationToken ct = default) =>
        SendAsync<CreatedSetupKey>(HttpMethod.Post, "api/v1/setup-keys", request, ct);

    public Task<List<SetupKeyDto>> ListSetupKeysAsync(CancellationToken ct = default) =>
        SendAsync<List<SetupKeyDto>>(HttpMethod.Get, "api/v1/setup-keys", null, ct);

    public Task RevokeSetupKeyAsync(Guid id, CancellationToken ct = default) => SendAsync(HttpMethod.Delete, $"api/v1/setup-keys/{id}", null, ct);

    // Bans (support staff)
    public Task<BanDto> CreateBanAsync(CreateBanRequest request, CancellationToken ct = default) =>
        SendAsync<BanDto>(HttpMethod.Post, "api/v1/bans", request, ct);

    public Task<List<BanDto>> ListBansAsync(CancellationToken ct = default) => SendAsync<List<BanDto>>(HttpMethod.Get, "api/v1/bans", null, ct);

    /// <summary>Lifts the ban (kept in the list with its hit count); the same as <see cref="LiftBanAsync"/>.</summary>
    public Task DeleteBanAsync(Guid id, CancellationToken ct = default) => SendAsync(HttpMethod.Delete, $"api/v1/bans/{id}", null, ct);

    public Task<BanDto> LiftBanAsync(Guid id, CancellationToken ct = default) => SendAsync<BanDto>(HttpMethod.Post, $"api/v1/bans/{id}/lift", null, ct);

    public Task<BanDto> UpdateBanAsync(Guid id, UpdateBanRequest request, CancellationToken ct = default) =>
        SendAsync<BanDto>(HttpMethod.Put, $"api/v1/bans/{id}", request, ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var response = await SendCoreAsync(method, path, body, ct).ConfigureAwait(false);
        var value = await response.Content.ReadFromJsonAsync<T>(HamachiJson.Options, ct).ConfigureAwait(false);
        return value ?? throw new HamachiApiException($"{method} {path}: empty response body");
    }

    private async Task SendAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var response = await SendCoreAsync(method, path, body, ct).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: HamachiJson.Options);
        }

        var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw new HamachiApiException(await ReadProblemAsync(response, ct).ConfigureAwait(false));
        }
    }

    private static async Task<ApiProblem> ReadProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            Dictionary<string, string[]>? errors = null;
            if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
            {
                errors = e.EnumerateObject().ToDictionary(
                    p => p.Name,
                    p => p.Value.ValueKind == JsonValueKind.Array ? p.Value.EnumerateArray().Select(v => v.ToString()).ToArray() : [p.Value.ToString()]);
            }

            return new ApiProblem(
                status,
                root.TryGetProperty("code", out var c) ? c.GetString() ?? "" : "",
                root.TryGetProperty("title", out var t) ? t.GetString() : null,
                root.TryGetProperty("detail", out var d) ? d.GetString() : null,
                errors,
                root.TryGetProperty("correlationId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : HeaderCorrelationId(response),
                root.TryGetProperty("plan", out var plan) && plan.ValueKind == JsonValueKind.String ? plan.GetString() : null);
        }
        catch (JsonException)
        {
            return new ApiProblem(status, "", response.ReasonPhrase, text.Length > 200 ? text[..200] : text, null, HeaderCorrelationId(response));
        }
    }

    /// <summary>The header the Api answers every request with (and takes from a request that sends a valid one).</summary>
    public const string CorrelationIdHeader = "X-Correlation-Id";

    private static string? HeaderCorrelationId(HttpResponseMessage response) =>
        response.Headers.TryGetValues(CorrelationIdHeader, out var values) ? values.FirstOrDefault() : null;
}
