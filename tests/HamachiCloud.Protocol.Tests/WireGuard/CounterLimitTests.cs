using HamachiCloud.Protocol.WireGuard;

namespace HamachiCloud.Protocol.Tests.WireGuard;

public sealed class CounterLimitTests
{
    private static readonly DateTimeOffset T0 = HandshakePair.T0;
    private static readonly byte[] KeyA = Enumerable.Repeat((byte)1, 32).ToArray();
    private static readonly byte[] KeyB = Enumerable.Repeat((byte)2, 32).ToArray();

    [Fact]
    public void Sending_stops_at_reject_after_messages()
    {
        using var sender = new TransportSession(KeyA, KeyB, 1, 2, true, T0, WireGuardLimits.RejectAfterMessages - 1);
        using var receiver = new TransportSession(KeyB, KeyA, 2, 1, false, T0);
        var wire = new byte[32];
        var plain = new byte[16];
        Assert.True(sender.TrySeal([], T0, wire, out _));
        Assert.True(receiver.TryOpen(wire, T0, plain, out _));
        Assert.False(sender.TrySeal([], T0, wire, out _));
        Assert.False(sender.TrySeal([], T0, wire, out _));
    }

    [Fact]
    public void Rekey_is_due_after_rekey_after_messages_in_either_role()
    {
        using var responder = new TransportSession(KeyA, KeyB, 1, 2, false, T0, WireGuardLimits.RekeyAfterMessages - 1);
        Assert.False(responder.ShouldRekeyOnSend(T0));
        Assert.True(responder.TrySeal([], T0, new byte[32], out _));
        Assert.True(responder.ShouldRekeyOnSend(T0));
    }

    [Fact]
    public void Concurrent_sealing_uses_each_counter_once()
    {
        using var sender = new TransportSession(KeyA, KeyB, 1, 2, true, T0);
        using var receiver = new TransportSession(KeyB, KeyA, 2, 1, false, T0);
        var wires = new byte[4000][];
        Parallel.For(0, wires.Length, i =>
        {
            wires[i] = new byte[TransportSession.SealedLength(20)];
            Assert.True(sender.TrySeal(new byte[20], T0, wires[i], out _));
        });

        var plain = new byte[64];
        foreach (var wire in wires)
        {
            Assert.True(receiver.TryOpen(wire, T0, plain, out _));
        }

        Assert.Equal((ulong)wires.Length, sender.NextSendCounter);
    }
}
