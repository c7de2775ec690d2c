namespace HamachiCloud.Api.Contracts.Members;

/// <summary>PUT /api/v1/networks/{id}/members/{userId}/role (member or admin; ownership is not transferred here).</summary>
public sealed record SetRoleRequest(MemberRole Role);
