namespace HamachiCloud.Protocol.Control;

/// <summary>NAT classification (filled by the traversal work; optional members only grow).</summary>
public sealed record NatReport(
    string? MappedEndpoint = null,
    bool? EndpointIndependentMapping = null,
    bool? EndpointIndependentFiltering = null,
    bool? PortPreserved = null,
    bool? Hairpinning = null,
    bool? UdpBlocked = null);
