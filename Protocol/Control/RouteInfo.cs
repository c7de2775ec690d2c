using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Protocol.Control;

/// <summary>
/// A LAN prefix (canonical CIDR, e.g. "198.18.77.0/24") that a gateway device of a gateway network
/// advertises, and whether a network admin approved it. Members see the approved ones; the
/// advertising device also sees its pending and rejected ones. <see cref="Public"/>: the prefix is
/// outside the private and ULA ranges (<see cref="Routing.RouteScope"/>); a member's device gets it in
/// its gateway's AllowedIps only when it accepts public routes, and its agent checks that again itself.
/// </summary>
public sealed record RouteInfo(string Prefix, Guid GatewayDeviceId, RouteStatus Status, bool Public = false);
