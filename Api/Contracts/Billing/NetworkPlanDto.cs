namespace HamachiCloud.Api.Contracts.Billing;

/// <summary>
/// A network the account owns, its plan in force and its usage: <see cref="MemberCount"/>/<see cref="MemberLimit"/>,
/// and the payload bytes its members sent through relays this UTC month (reported by the relays at each heartbeat).
/// </summary>
public sealed record NetworkPlanDto(
    Guid Id,
    string NetworkId,
    string Name,
    string PlanId,
    string PlanName,
    int MemberCount,
    int MemberLimit,
    long RelayBytesThisMonth = 0);
