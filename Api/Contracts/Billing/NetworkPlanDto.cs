namespace HamachiCloud.Api.Contracts.Billing;

/// <summary>A network the account owns, its plan in force and its usage (<see cref="MemberCount"/>/<see cref="MemberLimit"/>).</summary>
public sealed record NetworkPlanDto(
    Guid Id,
    string NetworkId,
    string Name,
    string PlanId,
    string PlanName,
    int MemberCount,
    int MemberLimit);
