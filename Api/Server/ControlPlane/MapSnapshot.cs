using HamachiCloud.Protocol.Control;
using System.Net;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// What the network-map builder needs, read from the database once per tick: the networks of the
/// accounts concerned (with their memberships) and every device of those networks' members, with
/// its presence, candidate endpoints and the networks it went offline in. Plain data, no EF.
/// </summary>
internal sealed record MapSnapshot(IReadOnlyList<MapSnapshot.Net> Networks, IReadOnlyList<MapSnapshot.Dev> Devices, IReadOnlyList<RelayInfo>? Relays = null)
{
    public sealed record Net(Guid Id, string NetworkId, string Name, NetworkType Type, IReadOnlyList<Member> Members);

    /// <summary>A membership; <paramref name="Nickname"/> already falls back to the display name.</summary>
    public sealed record Member(Guid UserId, string Nickname, MemberRole Role, HubRole HubRole, MemberStatus Status);

    /// <summary>A device; <paramref name="NodeKey"/> is base64, <paramref name="Connected"/> means it has a control session.</summary>
    public sealed record Dev(
        Guid Id,
        Guid UserId,
        string Name,
        string NodeKey,
        IPAddress IPv4,
        IPAddress IPv6,
        bool Connected,
        IReadOnlyList<string> Endpoints,
        IReadOnlySet<Guid> OfflineIn);
}
