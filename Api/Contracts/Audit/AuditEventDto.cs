namespace HamachiCloud.Api.Contracts.Audit;

/// <summary>
/// One audit event (GET /api/v1/audit): who (<see cref="ActorUserId"/>, <see cref="ActorEmail"/>), what
/// (<see cref="Action"/>, e.g. "account.signed_in", on <see cref="TargetType"/> <see cref="TargetId"/>), when
/// (<see cref="At"/>) and from where (<see cref="IpAddress"/>, the client's address); <see cref="NetworkId"/> when the
/// event belongs to a network. The CSV export has the same fields in this order.
/// </summary>
public sealed record AuditEventDto(
    long Id,
    DateTimeOffset At,
    Guid? ActorUserId,
    string? ActorEmail,
    string Action,
    string TargetType,
    string TargetId,
    Guid? NetworkId,
    string? IpAddress,
    string? Details);
