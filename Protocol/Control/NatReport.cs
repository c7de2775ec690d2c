namespace HamachiCloud.Protocol.Control;

/// <summary>
/// NAT classification from the agent's STUN discovery (RFC 4787 terms; optional members only grow).
/// Null means "not measured" (no server, no second STUN address, no CHANGE-REQUEST support, UDP blocked).
/// </summary>
/// <param name="MappedEndpoint">The server-reflexive "ip:port" the first answering STUN server saw.</param>
/// <param name="EndpointIndependentMapping">Same mapped endpoint towards every STUN address asked.</param>
/// <param name="EndpointIndependentFiltering">An answer from the STUN server's other address and port came through.</param>
/// <param name="PortPreserved">The mapped port equals the socket's local port.</param>
/// <param name="Hairpinning">A datagram sent to the own mapped endpoint came back.</param>
/// <param name="UdpBlocked">No STUN server answered at all.</param>
/// <param name="Mapping">"endpoint-independent" or "endpoint-dependent".</param>
/// <param name="Filtering">"endpoint-independent", "address-dependent" or "address-and-port-dependent".</param>
/// <param name="Relays">Per relay asked: its STUN round-trip time (null when it did not answer).</param>
public sealed record NatReport(
    string? MappedEndpoint = null,
    bool? EndpointIndependentMapping = null,
    bool? EndpointIndependentFiltering = null,
    bool? PortPreserved = null,
    bool? Hairpinning = null,
    bool? UdpBlocked = null,
    string? Mapping = null,
    string? Filtering = null,
    IReadOnlyList<RelayLatency>? Relays = null);
