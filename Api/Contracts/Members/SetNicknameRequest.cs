namespace HamachiCloud.Api.Contracts.Members;

/// <summary>PUT /api/v1/networks/{id}/members/me/nickname; null or "" resets it to the display name.</summary>
public sealed record SetNicknameRequest(string? Nickname);
