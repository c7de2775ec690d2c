namespace HamachiCloud.Data.Entities;

/// <summary>
/// A LAN prefix a gateway device advertises in a gateway network. Members get a route to it through
/// the device once a network admin approved it. One row per (network, device, prefix).
/// </summary>
public class GatewayRoute
{
    public Guid Id { get; set; }
    public Guid NetworkId { get; set; }
    public Network? Network { get; set; }
    public Guid DeviceId { get; set; }
    public Device? Device { get; set; }

    /// <summary>Canonical CIDR text (host bits zero), e.g. "198.18.77.0/24" or "2001:db8:77::/64".</summary>
    public string Prefix { get; set; } = "";

    public RouteStatus Status { get; set; }

    /// <summary>The admin who approved or rejected it last (null while pending).</summary>
    public Guid? DecidedById { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>When the device first advertised it.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
