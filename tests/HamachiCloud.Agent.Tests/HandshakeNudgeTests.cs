using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Agent.Engine.Peers;

namespace HamachiCloud.Agent.Tests;

public class HandshakeNudgeTests
{
    [Fact]
    public void A_new_peer_without_handshake_is_nudged_on_schedule_then_forgotten_one_with_a_handshake_never()
    {
        var a = Maps.Key(Maps.Peer(1));
        var b = Maps.Key(Maps.Peer(2));
        var nudge = new HandshakeNudge();
        var t0 = Maps.Now;
        nudge.Added(a, t0);
        nudge.Added(b, t0);
        PeerStatistics[] stats = [new() { PublicKey = a }, new() { PublicKey = b, LastHandshake = t0.AddMilliseconds(50) }];

        Assert.Empty(nudge.Due(stats, t0.AddMilliseconds(600)));
        Assert.Equal([a], nudge.Due(stats, t0.AddMilliseconds(700)));
        Assert.Empty(nudge.Due(stats, t0.AddMilliseconds(800)));
        Assert.Equal([a], nudge.Due(stats, t0.AddSeconds(2)));
        Assert.Empty(nudge.Due(stats, t0.AddSeconds(60)));
    }
}
