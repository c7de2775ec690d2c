namespace HamachiCloud.Api.Contracts.Plans;

/// <summary>
/// POST /api/v1/admin/grants/{id}/extend (<see cref="Days"/> more, counted from the grant's end or from now when
/// it has ended) and POST /api/v1/admin/grants/{id}/end (<see cref="Days"/> ignored). <see cref="Reason"/> is required.
/// </summary>
public sealed record ChangeGrantRequest(string Reason, int Days = 0);
