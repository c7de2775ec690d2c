using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Agent.Engine.Peers;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Tests;

public class PeerLivenessTests
{
    private static readonly NodeKey A = Maps.Key(Maps.Peer(1));

    private static PeerStatistics Stats(long rx, DateTimeOffset? handshake) => new() { PublicKey = A, RxPackets = rx, LastHandshake = handshake };

    [Fact]
    public void A_verifying_peer_that_stays_silent_past_the_timeout_goes_offline_one_that_answers_is_cleared()
    {
        var liveness = new PeerLiveness(TimeSpan.FromSeconds(85));
        var t0 = Maps.Now;
        liveness.Observe([Stats(10, t0.AddSeconds(-30))], t0);
        liveness.Verify([A], t0);

        Assert.Empty(liveness.Observe([Stats(10, t0.AddSeconds(-30))], t0.AddSeconds(50)).WentOffline);
        Assert.Equal([A], liveness.Observe([Stats(10, t0.AddSeconds(-30))], t0.AddSeconds(56)).WentOffline);
        Assert.True(liveness.IsOfflineLocally(A));

        // It speaks again: answered, no longer offline.
        var (_, answered) = liveness.Observe([Stats(11, t0.AddSeconds(-30))], t0.AddSeconds(60));
        Assert.Equal([A], answered);
        Assert.False(liveness.IsOfflineLocally(A));
        Assert.False(liveness.IsVerifying(A));
    }
}
