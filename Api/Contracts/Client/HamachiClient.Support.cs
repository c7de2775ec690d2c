using HamachiCloud.Api.Contracts.Audit;
using HamachiCloud.Api.Contracts.Support;

namespace HamachiCloud.Api.Contracts.Client;

/// <summary>The support console (<c>/api/v1/support</c>, staff only) and the audit log (<c>/api/v1/audit</c>: staff see all, owners their networks').</summary>
public sealed partial class HamachiClient
{
    public Task<SupportSearchResult> SupportSearchAsync(string query, CancellationToken ct = default) =>
        SendAsync<SupportSearchResult>(HttpMethod.Get, "api/v1/support/search?q=" + Uri.EscapeDataString(query), null, ct);

    public Task<SupportAccountDto> GetSupportAccountAsync(Guid id, CancellationToken ct = default) =>
        SendAsync<SupportAccountDto>(HttpMethod.Get, $"api/v1/support/accounts/{id}", null, ct);

    public Task<SupportAccountDto> DisableAccountAsync(Guid id, SupportActionRequest request, CancellationToken ct = default) =>
        SendAsync<SupportAccountDto>(HttpMethod.Post, $"api/v1/support/accounts/{id}/disable", request, ct);

    public Task<SupportAccountDto> EnableAccountAsync(Guid id, SupportActionRequest request, CancellationToken ct = default) =>
        SendAsync<SupportAccountDto>(HttpMethod.Post, $"api/v1/support/accounts/{id}/enable", request, ct);

    /// <summary>Revokes every OAuth sign-in of the account (Portal and <c>hamachi login</c>) with its tokens.</summary>
    public Task<SupportAccountDto> EndAccountSessionsAsync(Guid id, SupportActionRequest request, CancellationToken ct = default) =>
        SendAsync<SupportAccountDto>(HttpMethod.Post, $"api/v1/support/accounts/{id}/end-sessions", request, ct);

    public Task RevokeDeviceAsStaffAsync(Guid id, SupportActionRequest request, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"api/v1/support/devices/{id}/revoke", request, ct);

    public Task<AuditPageDto> ListAuditAsync(AuditFilter? filter = null, CancellationToken ct = default) =>
        SendAsync<AuditPageDto>(HttpMethod.Get, "api/v1/audit?" + (filter ?? new AuditFilter()).ToQuery(), null, ct);

    /// <summary>The CSV export (same filters, every page): a header row, then the fields of <see cref="AuditEventDto"/> in order.</summary>
    public async Task<string> ExportAuditCsvAsync(AuditFilter? filter = null, CancellationToken ct = default)
    {
        using var response = await SendCoreAsync(HttpMethod.Get, "api/v1/audit/export?" + (filter ?? new AuditFilter()).ToQuery(), null, ct).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
    }
}
