using System.Net;
using HamachiCloud.Relay.Core;

namespace HamachiCloud.Relay.Tests;

/// <summary>Bans pushed from the Api: banned node keys (device and account bans) and ranges, with hit counts per ban.</summary>
public sealed partial class RelayCoreTests
{
    [Fact]
    public void A_banned_node_key_ends_its_relayed_flows_at_once_is_refused_and_counted_until_lifted()
    {
        var core = Core();
        Bound(core, A, Bind(_ka, _kb), T0);
        Bound(core, B, Bind(_kb, _ka), T0);
        Assert.Equal(RelayActionKind.Forward, Handle(core, A, RelayTestClients.Send(_kb, [1]), T0).Kind);

        var deviceBan = Guid.NewGuid();
        core.SetBans([new RelayBanRule(deviceBan, null, [_kb.Bytes.ToArray()], null)], T0);
        Assert.Equal(0, core.Snapshot().Bindings); // both directions of the flow involve the banned key
        Assert.NotEqual(RelayActionKind.Forward, Handle(core, A, RelayTestClients.Send(_kb, [1]), T0).Kind);
        Assert.Equal(RelayDropReason.Banned, Handle(core, B, Bind(_kb, _ka), T0).Reason); // from the banned key
        Assert.Equal(RelayDropReason.Banned, Handle(core, A, Bind(_ka, _kb), T0).Reason); // to it
        Assert.Equal(4, core.DrainBanHits()[deviceBan]); // two bindings removed, two binds refused
        Assert.Empty(core.DrainBanHits());

        core.SetBans([], T0); // lifted
        Assert.Equal(RelayActionKind.Reply, Bound(core, A, Bind(_ka, _kb), T0).Kind);
        Assert.Equal(RelayActionKind.Reply, Bound(core, B, Bind(_kb, _ka), T0).Kind);
        Assert.Equal(RelayActionKind.Forward, Handle(core, A, RelayTestClients.Send(_kb, [1]), T0).Kind);
    }

    [Fact]
    public void A_range_ban_counts_its_hits_and_an_expired_ban_stops_acting()
    {
        var core = Core();
        var rangeBan = Guid.NewGuid();
        core.SetBans([new RelayBanRule(rangeBan, IPNetwork.Parse("192.0.2.0/24"), [], T0.AddMinutes(1))], T0);
        Assert.Equal(RelayDropReason.Banned, Handle(core, A, Bind(_ka, _kb), T0).Reason);
        Assert.Equal(RelayDropReason.Banned, Handle(core, A, Bind(_ka, _kb), T0.AddSeconds(30)).Reason);
        Assert.NotEqual(RelayDropReason.Banned, Handle(core, B, Bind(_kb, _ka), T0).Reason); // outside the range
        Assert.Equal(2, core.DrainBanHits()[rangeBan]);

        Assert.Equal(RelayActionKind.Reply, Bound(core, A, Bind(_ka, _kb), T0.AddMinutes(2)).Kind); // expired
        Assert.Empty(core.DrainBanHits());

        core.ReturnBanHits(new Dictionary<Guid, long> { [rangeBan] = 3 }); // a heartbeat that failed puts them back
        Assert.Equal(3, core.DrainBanHits()[rangeBan]);
    }
}
