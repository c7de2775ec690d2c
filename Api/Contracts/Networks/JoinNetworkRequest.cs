namespace HamachiCloud.Api.Contracts.Networks;

/// <summary>POST /api/v1/networks/join: the network id users type ("482-193-557"), and its password if it has one.</summary>
public sealed record JoinNetworkRequest(string NetworkId, string? Password = null);
