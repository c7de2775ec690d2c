using HamachiCloud.Api.Contracts.Members;
using HamachiCloud.Api.Contracts.Paths;
using HamachiCloud.Protocol.Networks;

namespace HamachiCloud.Portal.Components.Connections;

/// <summary>
/// Pure: a network's connection picture from its member list and path reports. Nodes: the online
/// devices of active members (and any device that still has a report); pairs: those the network's
/// map connects (mesh: all; hub-and-spoke and gateway: pairs with a hub member's device), plus any
/// pair with a report. <see cref="Pairs"/> are sorted worst first. Relays are never nodes.
/// </summary>
public sealed record ConnectionPicture(IReadOnlyList<PictureNode> Nodes, IReadOnlyList<PairVerdict> Pairs, ConnectionSummary Summary, int OfflineDevices)
{
    /// <summary>Above this many nodes the graph shows only the problem edges by default (a full mesh is unreadable).</summary>
    public const int ProblemEdgesOnlyAbove = 25;

    public static readonly ConnectionPicture Empty = new([], [], ConnectionSummary.Of([]), 0);

    public static ConnectionPicture Build(NetworkType type, IReadOnlyList<MemberDto> members, IReadOnlyList<PeerPathDto> paths)
    {
        var reported = new HashSet<Guid>();
        foreach (var p in paths)
        {
            reported.Add(p.DeviceId);
            reported.Add(p.PeerDeviceId);
        }

        var nodes = new List<PictureNode>();
        var offline = 0;
        foreach (var member in members.Where(m => m.Status == MemberStatus.Active))
        {
            var owner = string.IsNullOrWhiteSpace(member.Nickname) ? member.DisplayName : member.Nickname;
            foreach (var d in member.Devices ?? [])
            {
                if (!d.Online && !reported.Contains(d.DeviceId))
                {
                    offline++;
                    continue;
                }

                nodes.Add(new PictureNode(new PairEnd(d.DeviceId, d.Name, d.Nat, d.NatType, owner), d.Online, member.HubRole == HubRole.Hub));
            }
        }

        nodes.Sort((x, y) => (x.Hub, y.Hub) switch
        {
            (true, false) => -1,
            (false, true) => 1,
            _ => Compare(x, y),
        });

        var reports = new Dictionary<(Guid, Guid), PeerPathDto>();
        foreach (var p in paths)
        {
            reports[(p.DeviceId, p.PeerDeviceId)] = p;
        }

        var star = type is NetworkType.HubAndSpoke or NetworkType.Gateway;
        var pairs = new List<PairVerdict>();
        for (var i = 0; i < nodes.Count; i++)
        {
            for (var j = i + 1; j < nodes.Count; j++)
            {
                var (a, b) = (nodes[i], nodes[j]);
                var aToB = reports.GetValueOrDefault((a.DeviceId, b.DeviceId));
                var bToA = reports.GetValueOrDefault((b.DeviceId, a.DeviceId));
                var expected = !star || a.Hub || b.Hub;
                if (aToB is null && bToA is null && (!expected || !a.Online || !b.Online))
                {
                    continue;
                }

                pairs.Add(PairDiagnosis.Diagnose(a.End, b.End, aToB, bToA));
            }
        }

        pairs.Sort((x, y) => PairPaths.Severity(x.Kind).CompareTo(PairPaths.Severity(y.Kind)) is var c && c != 0
            ? c
            : string.Compare(x.Title, y.Title, StringComparison.OrdinalIgnoreCase));
        return new ConnectionPicture(nodes, pairs, ConnectionSummary.Of(pairs), offline);
    }

    private static int Compare(PictureNode x, PictureNode y)
    {
        var c = string.Compare(x.End.Owner, y.End.Owner, StringComparison.OrdinalIgnoreCase);
        return c != 0 ? c : string.Compare(x.End.Name, y.End.Name, StringComparison.OrdinalIgnoreCase);
    }
}
