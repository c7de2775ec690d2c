namespace HamachiCloud.Api.Contracts.Plans;

/// <summary>
/// A plan granted by hand: to <see cref="NetworkId"/> (null = account-wide) of account <see cref="UserId"/>, from
/// <see cref="StartedAt"/> until <see cref="EndsAt"/>; <see cref="Active"/> while it gives its plan;
/// <see cref="Reason"/> the latest change's reason (every change is in the audit log).
/// </summary>
public sealed record GrantDto(
    Guid Id,
    Guid UserId,
    Guid? NetworkId,
    string PlanId,
    string PlanName,
    bool Active,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndsAt,
    string? Reason,
    Guid? GrantedById);
