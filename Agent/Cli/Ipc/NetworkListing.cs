namespace HamachiCloud.Agent.Ipc;

/// <summary>
/// One network in <c>hamachi list</c>; <see cref="Routes"/> for gateway networks only; <see cref="PublicRoutes"/>:
/// when its gateways offer public routes, which and whether this device accepts them (one line); <see cref="OverPlanLimit"/>:
/// this account is set aside by the network's smaller plan (listed "inactive: over plan limit", no tunnels).
/// </summary>
public sealed record NetworkListing(
    string NetworkId, string Name, string Type, bool Online, IReadOnlyList<MemberListing> Members, IReadOnlyList<RouteListing>? Routes = null, bool OpenToAnyone = false,
    string? PublicRoutes = null,
    bool OverPlanLimit = false);
