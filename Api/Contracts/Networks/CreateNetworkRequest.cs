namespace HamachiCloud.Api.Contracts.Networks;

/// <summary>POST /api/v1/networks. A password implies the password join policy unless one is given.</summary>
public sealed record CreateNetworkRequest(
    string Name,
    NetworkType Type = NetworkType.Mesh,
    JoinPolicy? JoinPolicy = null,
    string? Password = null);
