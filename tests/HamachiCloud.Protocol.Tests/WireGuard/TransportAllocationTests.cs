using HamachiCloud.Protocol.WireGuard;

namespace HamachiCloud.Protocol.Tests.WireGuard;

public sealed class TransportAllocationTests
{
    [Fact]
    public void Sealing_opening_and_classifying_packets_allocate_nothing()
    {
        using var pair = new HandshakePair(77);
        var (alice, bob) = pair.Complete(HandshakePair.T0);
        using var aliceOwned = alice;
        using var bobOwned = bob;
        var now = HandshakePair.T0;
        var packet = new byte[1400];
        var wire = new byte[TransportSession.SealedLength(packet.Length)];
        var plain = new byte[wire.Length];

        Assert.True(alice.TrySeal(packet, now, wire, out _));
        Assert.True(bob.TryOpen(wire, now, plain, out _));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
        {
            alice.TrySeal(packet, now, wire, out _);
            DatagramClassifier.Classify(wire);
            bob.TryOpen(wire, now, plain, out _);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Equal(201UL, alice.NextSendCounter);
    }
}
