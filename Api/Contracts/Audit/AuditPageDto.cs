namespace HamachiCloud.Api.Contracts.Audit;

/// <summary>One page of audit events, newest first; <see cref="Total"/> counts every event the filters match.</summary>
public sealed record AuditPageDto(IReadOnlyList<AuditEventDto> Events, int Total, int Page, int PageSize);
