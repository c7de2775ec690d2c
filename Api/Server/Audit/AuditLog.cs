namespace HamachiCloud.Api.Audit;

/// <summary>
/// Adds audit events to the current unit of work, so an event is stored exactly when the change
/// it describes is (same SaveChanges). Scoped, like the DbContext it writes to. The address
/// recorded is the client's (forwarded by a configured proxy, see <c>ProxyOptions</c>).
/// An event about a network (<paramref name="targetType"/> "network") belongs to that network; others
/// name theirs with <c>networkId</c>, so the network's owner sees them (<see cref="AuditQueries"/>).
/// </summary>
internal sealed class AuditLog(HamachiDbContext db, TimeProvider clock, IHttpContextAccessor http)
{
    public const int MaxDetailsLength = 4000;

    public void Record(Guid? actor, string action, string targetType, object targetId, string? details = null, Guid? networkId = null)
    {
        db.AuditEvents.Add(new AuditEvent
        {
            At = clock.GetUtcNow(),
            ActorUserId = actor,
            Action = action,
            TargetType = targetType,
            TargetId = targetId.ToString() ?? "",
            Details = details is { Length: > MaxDetailsLength } ? details[..MaxDetailsLength] : details,
            IpAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            NetworkId = networkId ?? (targetType == "network" && targetId is Guid network ? network : null),
        });
    }
}
