using HamachiCloud.Protocol.WireGuard;

namespace HamachiCloud.Protocol.Tests.WireGuard;

/// <summary><see cref="TransportSession.Open"/> says why a message was refused; the engine counts the reasons apart.</summary>
public sealed class TransportOpenStatusTests
{
    private static readonly DateTimeOffset T0 = HandshakePair.T0;
    private static readonly byte[] KeyA = Enumerable.Repeat((byte)1, 32).ToArray();
    private static readonly byte[] KeyB = Enumerable.Repeat((byte)2, 32).ToArray();

    [Fact]
    public void Tampered_is_a_decryption_failure_that_leaves_the_counter_unused()
    {
        using var sender = new TransportSession(KeyA, KeyB, 1, 2, true, T0);
        using var receiver = new TransportSession(KeyB, KeyA, 2, 1, false, T0);
        var wire = new byte[TransportSession.SealedLength(20)];
        Assert.True(sender.TrySeal(new byte[20], T0, wire, out _));
        var tampered = wire.ToArray();
        tampered[20] ^= 1;
        var plain = new byte[64];

        Assert.Equal(TransportOpenStatus.DecryptionFailed, receiver.Open(tampered, T0, plain, out _));
        Assert.Equal(TransportOpenStatus.Opened, receiver.Open(wire, T0, plain, out var length));
        Assert.Equal(32, length);
        Assert.Equal(TransportOpenStatus.Replayed, receiver.Open(wire, T0, plain, out _));
        Assert.True(receiver.IsConfirmed);
    }

    [Fact]
    public void Expired_session_and_foreign_index_are_named()
    {
        using var sender = new TransportSession(KeyA, KeyB, 1, 2, true, T0);
        using var receiver = new TransportSession(KeyB, KeyA, 2, 1, false, T0);
        using var other = new TransportSession(KeyB, KeyA, 3, 1, false, T0);
        var wire = new byte[TransportSession.SealedLength(0)];
        Assert.True(sender.TrySeal([], T0, wire, out _));
        var plain = new byte[16];

        Assert.Equal(TransportOpenStatus.Malformed, other.Open(wire, T0, plain, out _));
        Assert.Equal(TransportOpenStatus.Expired, receiver.Open(wire, T0 + WireGuardLimits.RejectAfterTime, plain, out _));
        Assert.Equal(TransportOpenStatus.Opened, receiver.Open(wire, T0, plain, out _));
    }
}
