using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Agent.Engine.Peers;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Tests;

public class HandshakeNudgeTests
{
    private static readonly NodeKey[] Keys = [.. Enumerable.Range(1, 3).Select(n => Maps.Key(Maps.Peer(n))).Order(Comparer<NodeKey>.Create((x, y) => x.Bytes.SequenceCompareTo(y.Bytes)))];

    [Fact]
    public void The_lower_key_nudges_a_silent_new_tunnel_on_schedule_then_forgets_it_a_busy_one_never()
    {
        var (low, mid, high) = (Keys[0], Keys[1], Keys[2]);
        var nudge = new HandshakeNudge(low);
        var t0 = Maps.Now;
        nudge.Added(mid, t0);
        nudge.Added(high, t0);
        PeerStatistics[] stats = [new() { PublicKey = mid, LastHandshake = t0 }, new() { PublicKey = high, LastHandshake = t0, TxPackets = 1 }];

        Assert.Empty(nudge.Due(stats, t0.AddMilliseconds(600)));
        Assert.Equal([mid], nudge.Due(stats, t0.AddMilliseconds(700)));
        Assert.Empty(nudge.Due(stats, t0.AddMilliseconds(800)));
        Assert.Equal([mid], nudge.Due(stats, t0.AddSeconds(2)));
        Assert.Empty(nudge.Due(stats, t0.AddSeconds(60)));
    }

    [Fact]
    public void The_higher_key_never_nudges_so_nudges_cannot_cross()
    {
        var nudge = new HandshakeNudge(Keys[2]);
        nudge.Added(Keys[0], Maps.Now);
        Assert.Empty(nudge.Due([new() { PublicKey = Keys[0] }], Maps.Now.AddSeconds(1)));
    }
}
