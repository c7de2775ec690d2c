namespace HamachiCloud.Api.Contracts.Audit;

/// <summary>
/// The filters of GET /api/v1/audit and /api/v1/audit/export (query parameters of the same names, all optional):
/// <see cref="Action"/> is an action ("member.evicted") or its family ("member"); <see cref="From"/> is inclusive,
/// <see cref="To"/> exclusive; <see cref="Page"/> starts at 1, <see cref="PageSize"/> is at most 200.
/// </summary>
public sealed record AuditFilter(
    string? Action = null,
    Guid? ActorId = null,
    Guid? NetworkId = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Page = 1,
    int PageSize = 50)
{
    /// <summary>The query string of these filters (without '?'), for the REST calls and the Portal's download link.</summary>
    public string ToQuery()
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("action", Action);
        Add("actorId", ActorId?.ToString());
        Add("networkId", NetworkId?.ToString());
        Add("from", From?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Add("to", To?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Add("page", Page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("pageSize", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return string.Join('&', parts);
    }
}
