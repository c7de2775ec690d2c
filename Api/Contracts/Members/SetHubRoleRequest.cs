namespace HamachiCloud.Api.Contracts.Members;

/// <summary>PUT /api/v1/networks/{id}/members/{userId}/hub-role.</summary>
public sealed record SetHubRoleRequest(HubRole HubRole);
