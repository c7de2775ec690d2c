using System.Net;
using HamachiCloud.Agent.Engine.Config;
using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Tests;

public class PeerReconcilerTests
{
    private static Dictionary<NodeKey, PeerConfig> Applied(params PeerConfig[] configs) => configs.ToDictionary(c => c.PublicKey);

    [Fact]
    public void Online_peers_get_a_tunnel_with_first_usable_endpoint_allowed_ips_and_keepalive_offline_ones_none()
    {
        var map = Maps.Map(1, Maps.Peer(1, true, "bogus", "127.0.0.1:41641", "0.0.0.0:5", "198.18.0.1:41641", "198.18.0.9:1"), Maps.Peer(2, false, "198.18.0.2:41641"));

        var plan = PeerReconciler.Reconcile(Applied(), map);

        var add = Assert.Single(plan.Upserts);
        Assert.Equal(Maps.Key(Maps.Peer(1)), add.PublicKey);
        Assert.Equal(IPEndPoint.Parse("198.18.0.1:41641"), add.Endpoint);
        Assert.Equal([IPNetwork.Parse("100.64.0.1/32"), IPNetwork.Parse("fd00::1/128")], add.AllowedIps);
        Assert.Equal(TimeSpan.FromSeconds(25), add.PersistentKeepalive);
        Assert.Empty(plan.Removals);
    }

    [Fact]
    public void Unchanged_peers_are_left_alone_changed_ones_replaced_and_offline_or_vanished_ones_removed()
    {
        var before = PeerReconciler.Reconcile(Applied(), Maps.Map(1, Maps.Peer(1, true, "198.18.0.1:1"), Maps.Peer(2, true), Maps.Peer(3, true)));
        var applied = Applied([.. before.Upserts]);

        var plan = PeerReconciler.Reconcile(applied, Maps.Map(2, Maps.Peer(1, true, "198.18.0.1:1"), Maps.Peer(2, true, "198.18.0.2:2"), Maps.Peer(3, false)));

        var changed = Assert.Single(plan.Upserts);
        Assert.Equal(Maps.Key(Maps.Peer(2)), changed.PublicKey);
        Assert.Equal([Maps.Key(Maps.Peer(3))], plan.Removals);

        var gone = PeerReconciler.Reconcile(applied, Maps.Map(3));
        Assert.Equal(3, gone.Removals.Count);
        Assert.True(PeerReconciler.Reconcile(applied, Maps.Map(1, Maps.Peer(1, true, "198.18.0.1:1"), Maps.Peer(2, true), Maps.Peer(3, true))).IsEmpty);
    }

    [Fact]
    public void Unusable_records_and_this_device_itself_are_skipped()
    {
        var bad = Maps.Peer(4) with { NodeKey = "not-a-key" };
        var badPrefix = Maps.Peer(5) with { AllowedIps = ["100.64.0.5/99"] };
        var self = Maps.Peer(6);

        var plan = PeerReconciler.Reconcile(Applied(), Maps.Map(1, bad, badPrefix, self, Maps.Peer(7)), Maps.Key(self));

        Assert.Equal(Maps.Key(Maps.Peer(7)), Assert.Single(plan.Upserts).PublicKey);
        Assert.Equal(2, plan.Skipped.Count);
        Assert.Contains("not-a-key", plan.Skipped[0], StringComparison.Ordinal);
    }
}
