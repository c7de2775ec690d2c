using HamachiCloud.Api.Contracts.Paths;
using HamachiCloud.Portal.Components.Connections;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Networks;
using static HamachiCloud.Portal.Tests.Support.Members;

namespace HamachiCloud.Portal.Tests.Connections;

/// <summary>Which pairs the picture has, its summary line and its order (worst first).</summary>
public sealed class ConnectionPictureTests
{
    private static readonly DateTimeOffset At = new(2025, 5, 12, 14, 0, 0, TimeSpan.Zero);

    internal static PeerPathDto Path(Guid from, Guid to, string path, bool ws = false) =>
        new(from, "", to, "", path, null, [], path == "direct" ? null : "no answer", 5, ws, At);

    [Fact]
    public void A_mesh_pairs_every_online_device_and_summarises_worst_first()
    {
        var (a, b, c, d) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var members = new[]
        {
            Active("alice", devices: [Device("a", true, id: a), Device("old", false, At.AddDays(-3))]),
            Active("bob", devices: Device("b", true, id: b)),
            Active("carol", devices: Device("c", true, id: c)),
            Active("dan", devices: Device("d", true, id: d)),
        };
        var paths = new[]
        {
            Path(a, b, "direct"), Path(b, a, "direct"),
            Path(a, c, "relay"), Path(c, a, "relay"),
            Path(a, d, "relay", ws: true),
            Path(b, c, "none"),
            Path(b, d, "direct"),
        };

        var picture = ConnectionPicture.Build(NetworkType.Mesh, members, paths);

        Assert.Equal(4, picture.Nodes.Count);
        Assert.Equal(1, picture.OfflineDevices);
        Assert.Equal("6 pairs: 2 direct, 1 UDP relay, 1 WebSocket, 1 down, 1 unknown", picture.Summary.Text); // c-d has no report
        Assert.Equal([PairPathKind.None, PairPathKind.RelayWebSocket, PairPathKind.RelayUdp, PairPathKind.Unknown, PairPathKind.Direct, PairPathKind.Direct],
            picture.Pairs.Select(p => p.Kind));
    }

    [Fact]
    public void The_summary_leaves_out_unknown_when_there_is_none()
    {
        Assert.Equal("1 pair: 1 direct, 0 UDP relay, 0 WebSocket, 0 down", new ConnectionSummary(1, 1, 0, 0, 0, 0).Text);
    }

    [Fact]
    public void Hub_and_spoke_pairs_only_with_a_hub_unless_spokes_reported_each_other()
    {
        var (hub, s1, s2, s3) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var members = new[]
        {
            Active("hq", hub: HubRole.Hub, devices: Device("hub", true, id: hub)),
            Active("s1", devices: Device("s1", true, id: s1)),
            Active("s2", devices: Device("s2", true, id: s2)),
            Active("s3", devices: Device("s3", true, id: s3)),
        };

        var picture = ConnectionPicture.Build(NetworkType.HubAndSpoke, members, [Path(s2, s3, "relay")]);

        Assert.Equal(4, picture.Pairs.Count); // 3 hub pairs + the reported spoke pair
        Assert.All(picture.Pairs.Where(p => p.Kind == PairPathKind.Unknown), p => Assert.True(p.A.DeviceId == hub || p.B.DeviceId == hub));
        Assert.True(picture.Nodes[0].Hub); // hubs first (the star's centre)
    }

    [Fact]
    public void Pending_and_evicted_members_are_not_nodes_and_nat_reports_reach_the_ends()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var nat = new NatReport(Mapping: "endpoint-dependent");
        var picture = ConnectionPicture.Build(NetworkType.Mesh,
            [Active("alice", devices: Device("a", true, id: a, nat: nat)), Active("bob", devices: Device("b", true, id: b, natType: "symmetric")), Pending("zed")],
            []);
        Assert.Equal(2, picture.Nodes.Count);
        Assert.Equal(("symmetric NAT", "symmetric NAT"), (picture.Nodes[0].Nat, picture.Nodes[1].Nat));
        Assert.Same(nat, picture.Pairs.Single().A.DeviceId == a ? picture.Pairs.Single().A.Nat : picture.Pairs.Single().B.Nat);
    }

    [Fact]
    public void Layouts_put_every_node_inside_the_view_and_a_single_hub_in_the_middle()
    {
        var members = Enumerable.Range(0, 30).Select(i => Active($"m{i}", hub: i == 0 ? HubRole.Hub : HubRole.Spoke, devices: Device($"d{i}", true))).ToArray();
        var nodes = ConnectionPicture.Build(NetworkType.HubAndSpoke, members, []).Nodes;
        var star = GraphLayout.Place(nodes, star: true, 640);
        Assert.Equal((320.0, 320.0), star[nodes[0].DeviceId]);
        Assert.All(star.Values, p => Assert.InRange(p.X, 0, 640));
        Assert.Equal(30, GraphLayout.Place(nodes, star: false, 640).Values.Distinct().Count());
    }
}
