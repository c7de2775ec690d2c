namespace HamachiCloud.Api.Contracts.Support;

/// <summary>A network found by the support search, or one of an account's networks (<see cref="Role"/> is the account's role there).</summary>
public sealed record SupportNetworkHit(Guid Id, string NetworkId, string Name, Guid OwnerId, string OwnerEmail, string Plan, string? Role = null);
