using System.Net.Http.Json;
using HamachiCloud.Api.Contracts.Members;
using HamachiCloud.Api.Contracts.Plans;

namespace HamachiCloud.Api.Contracts.Client;

/// <summary>Plans: staff grants (<c>/api/v1/admin/grants</c>) and the owner's choice of who stays active under a smaller plan.</summary>
public sealed partial class HamachiClient
{
    /// <summary>Support staff: grant a plan to a network or (account-wide plans) an account for a number of days.</summary>
    public Task<GrantDto> GrantPlanAsync(GrantPlanRequest request, CancellationToken ct = default) =>
        SendAsync<GrantDto>(HttpMethod.Post, "api/v1/admin/grants", request, ct);

    /// <summary>Support staff: the grants of an account (<paramref name="userId"/>) or of every account when null.</summary>
    public Task<List<GrantDto>> ListGrantsAsync(Guid? userId = null, CancellationToken ct = default) =>
        SendAsync<List<GrantDto>>(HttpMethod.Get, userId is null ? "api/v1/admin/grants" : $"api/v1/admin/grants?userId={userId}", null, ct);

    public Task<GrantDto> ExtendGrantAsync(Guid id, ChangeGrantRequest request, CancellationToken ct = default) =>
        SendAsync<GrantDto>(HttpMethod.Post, $"api/v1/admin/grants/{id}/extend", request, ct);

    public Task<GrantDto> EndGrantAsync(Guid id, ChangeGrantRequest request, CancellationToken ct = default) =>
        SendAsync<GrantDto>(HttpMethod.Post, $"api/v1/admin/grants/{id}/end", request, ct);

    /// <summary>The owner chooses who stays active when the plan allows fewer members than the network has.</summary>
    public Task<List<MemberDto>> SetActiveMembersAsync(Guid networkId, SetActiveMembersRequest request, CancellationToken ct = default) =>
        SendAsync<List<MemberDto>>(HttpMethod.Put, $"api/v1/networks/{networkId}/active-members", request, ct);
}
