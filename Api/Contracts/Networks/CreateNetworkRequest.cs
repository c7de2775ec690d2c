namespace HamachiCloud.Api.Contracts.Networks;

/// <summary>
/// POST /api/v1/networks. Without <see cref="JoinPolicy"/>: a password means the password policy, no password
/// means approval. An open network (anyone with its id joins) must be asked for explicitly.
/// </summary>
public sealed record CreateNetworkRequest(
    string Name,
    NetworkType Type = NetworkType.Mesh,
    JoinPolicy? JoinPolicy = null,
    string? Password = null);
