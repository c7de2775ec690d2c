namespace HamachiCloud.Data.Entities;

/// <summary>A banned IPv4 or IPv6 range; enforced at login, REST, identity endpoints and relays.</summary>
public class IpRangeBan
{
    public Guid Id { get; set; }

    /// <summary>Canonical CIDR text (network address masked), e.g. "198.51.100.0/24".</summary>
    public string Cidr { get; set; } = "";

    public string Reason { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public Guid? CreatedById { get; set; }
}
