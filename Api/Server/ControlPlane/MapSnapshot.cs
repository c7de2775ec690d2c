using System.Net;
using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// What the network-map builder needs, read from the database once per tick: the networks of the
/// accounts concerned (with their memberships) and every device of those networks' members, with
/// its presence, candidate endpoints and the networks it went offline in. Plain data, no EF.
/// </summary>
internal sealed record MapSnapshot(IReadOnlyList<MapSnapshot.Net> Networks, IReadOnlyList<MapSnapshot.Dev> Devices, IReadOnlyList<RelayInfo>? Relays = null)
{
    /// <summary>
    /// A network; <paramref name="Routes"/> are its gateway routes (any status), gateway networks only;
    /// <paramref name="AllowPublicRoutes"/>: its owner lets it carry public routes.
    /// </summary>
    public sealed record Net(
        Guid Id, string NetworkId, string Name, NetworkType Type, IReadOnlyList<Member> Members, IReadOnlyList<Route>? Routes = null, bool OpenToAnyone = false,
        bool AllowPublicRoutes = false);

    /// <summary>A LAN prefix (canonical CIDR) advertised by a device in a gateway network.</summary>
    public sealed record Route(Guid DeviceId, string Prefix, RouteStatus Status);

    /// <summary>
    /// A membership; <paramref name="Nickname"/> already falls back to the display name. <paramref name="OverPlanLimit"/>:
    /// set aside by a smaller plan, so it reaches no one and no one reaches it.
    /// </summary>
    public sealed record Member(Guid UserId, string Nickname, MemberRole Role, HubRole HubRole, MemberStatus Status, bool OverPlanLimit = false);

    /// <summary>
    /// A device; <paramref name="NodeKey"/> is base64, <paramref name="Connected"/> means it has a control session,
    /// <paramref name="AcceptPublicRoutes"/> that its map may carry public gateway routes.
    /// </summary>
    public sealed record Dev(
        Guid Id,
        Guid UserId,
        string Name,
        string NodeKey,
        IPAddress IPv4,
        IPAddress IPv6,
        bool Connected,
        IReadOnlyList<string> Endpoints,
        IReadOnlySet<Guid> OfflineIn,
        bool AcceptPublicRoutes = false);
}
