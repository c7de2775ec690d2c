namespace HamachiCloud.Api.Contracts.Plans;

/// <summary>
/// POST /api/v1/admin/grants (support staff and admins): gives <see cref="PlanId"/> for <see cref="Days"/> days,
/// either to one network (<see cref="NetworkId"/>, a per-network plan such as "premium"; the grant belongs to the
/// network's owner) or to an account (<see cref="UserId"/>, an account-wide plan such as "multi-network").
/// <see cref="Reason"/> is required and lands in the audit log.
/// </summary>
public sealed record GrantPlanRequest(string PlanId, string Reason, int Days, Guid? NetworkId = null, Guid? UserId = null);
