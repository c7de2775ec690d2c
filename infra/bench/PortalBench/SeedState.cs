namespace PortalBench;

/// <summary>
/// What <c>seed</c> leaves for <c>measure</c> (a JSON file, mode 0600: it holds the benchmark user's
/// password and a setup key): who signs in, which network is the big one, whose agent goes online.
/// </summary>
public sealed record SeedState(
    string Email,
    string Password,
    Guid UserId,
    int Networks,
    int Memberships,
    int MyNetworks,
    Guid BigNetworkId,
    int BigNetworkMembers,
    Guid AgentUserId,
    string AgentSetupKey);
