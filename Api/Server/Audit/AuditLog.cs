namespace HamachiCloud.Api.Audit;

/// <summary>
/// Adds audit events to the current unit of work, so an event is stored exactly when the change
/// it describes is (same SaveChanges). Scoped, like the DbContext it writes to. The address
/// recorded is the client's (forwarded by a configured proxy, see <c>ProxyOptions</c>).
/// </summary>
internal sealed class AuditLog(HamachiDbContext db, TimeProvider clock, IHttpContextAccessor http)
{
    public void Record(Guid? actor, string action, string targetType, object targetId, string? details = null)
    {
        db.AuditEvents.Add(new AuditEvent
        {
            At = clock.GetUtcNow(),
            ActorUserId = actor,
            Action = action,
            TargetType = targetType,
            TargetId = targetId.ToString() ?? "",
            Details = details,
            IpAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
        });
    }
}
