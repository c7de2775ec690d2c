using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Protocol.Control;

/// <summary>
/// A network this device is an active member of, as its members see it. <see cref="Routes"/>: gateway
/// networks only (null otherwise), the LAN prefixes served through the network's gateway devices.
/// <see cref="OpenToAnyone"/>: anyone who knows the id joins without a password or approval. <see cref="OverPlanLimit"/>:
/// this device's account is set aside by the network's smaller plan ("inactive: over plan limit"): it is listed with
/// itself only and reaches no peer through the network until an upgrade or the owner's choice.
/// </summary>
public sealed record NetworkInfo(
    Guid Id,
    string NetworkId,
    string Name,
    NetworkType Type,
    bool Online,
    IReadOnlyList<MemberInfo> Members,
    IReadOnlyList<RouteInfo>? Routes = null,
    bool OpenToAnyone = false,
    bool OverPlanLimit = false);
