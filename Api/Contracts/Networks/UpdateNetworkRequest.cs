namespace HamachiCloud.Api.Contracts.Networks;

/// <summary>
/// PATCH /api/v1/networks/{id}: every member is optional; absent members keep their value.
/// <see cref="Password"/> "" removes the password.
/// </summary>
public sealed record UpdateNetworkRequest(
    string? Name = null,
    string? Password = null,
    JoinPolicy? JoinPolicy = null,
    bool? Locked = null);
