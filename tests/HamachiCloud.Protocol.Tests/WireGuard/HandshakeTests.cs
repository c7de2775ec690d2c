using System.Net;
using System.Text;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.WireGuard;

namespace HamachiCloud.Protocol.Tests.WireGuard;

public sealed class HandshakeTests
{
    private static readonly DateTimeOffset T0 = HandshakePair.T0;

    [Fact]
    public void Two_peers_handshake_and_exchange_transport_packets_both_ways()
    {
        using var pair = new HandshakePair();
        var initiation = pair.Initiation(T0);
        Assert.Equal(MessageType.HandshakeInitiation, DatagramClassifier.Classify(initiation));
        Assert.Equal(MacVerdict.Process, pair.BobTable.Cookies.Check(initiation, HandshakePair.AliceEndpoint, underLoad: false, T0));
        Assert.Equal(HandshakeStatus.Accepted, pair.BobTable.ConsumeInitiation(initiation, T0, out var peer));
        Assert.Same(pair.Bob, peer);
        Assert.Equal(HandshakeState.InitiationConsumed, pair.Bob.State);
        Assert.Equal(11u, pair.Bob.RemoteIndex);

        var response = pair.Response(T0);
        Assert.Equal(MessageType.HandshakeResponse, DatagramClassifier.Classify(response));
        Assert.Equal(HandshakeStatus.Accepted, pair.Alice.ConsumeResponse(response));
        Assert.Equal(22u, pair.Alice.RemoteIndex);

        Assert.True(pair.Alice.TryDeriveSession(T0, out var alice));
        Assert.True(pair.Bob.TryDeriveSession(T0, out var bob));
        using (alice)
        using (bob)
        {
            Assert.Equal(HandshakeState.Zeroed, pair.Alice.State);
            Assert.Equal((11u, 22u, true), (alice!.LocalIndex, alice.RemoteIndex, alice.IsInitiator));
            Assert.Equal((22u, 11u, false), (bob!.LocalIndex, bob.RemoteIndex, bob.IsInitiator));
            Assert.False(bob.IsConfirmed);

            var hello = Encoding.ASCII.GetBytes("hello, bob");
            var wire = new byte[TransportSession.SealedLength(hello.Length)];
            Assert.True(alice.TrySeal(hello, T0, wire, out var written));
            Assert.Equal(16 + 16 + 16, written);
            Assert.Equal(MessageType.TransportData, DatagramClassifier.Classify(wire));
            Assert.DoesNotContain("hello", Encoding.ASCII.GetString(wire), StringComparison.Ordinal);

            var plain = new byte[64];
            Assert.True(bob.TryOpen(wire, T0, plain, out var length));
            Assert.Equal(16, length);
            Assert.Equal(hello, plain[..hello.Length]);
            Assert.All(plain[hello.Length..length], b => Assert.Equal(0, b));
            Assert.True(bob.IsConfirmed);

            var reply = Encoding.ASCII.GetBytes("hi alice, this reply is longer than sixteen bytes");
            var replyWire = new byte[TransportSession.SealedLength(reply.Length)];
            Assert.True(bob.TrySeal(reply, T0, replyWire, out _));
            Assert.True(alice.TryOpen(replyWire, T0, plain, out length));
            Assert.Equal(reply, plain[..reply.Length]);

            // Keepalive: empty payload, 32 bytes on the wire.
            var keepalive = new byte[32];
            Assert.True(alice.TrySeal([], T0, keepalive, out written));
            Assert.Equal(32, written);
            Assert.True(bob.TryOpen(keepalive, T0, plain, out length));
            Assert.Equal(0, length);
        }
    }

    [Fact]
    public void Transport_rejects_replays_tampering_wrong_index_and_expired_sessions()
    {
        using var pair = new HandshakePair(2);
        var (alice, bob) = pair.Complete(T0);
        using (alice)
        using (bob)
        {
            var wire = new byte[TransportSession.SealedLength(20)];
            var plain = new byte[32];
            Assert.Equal(64, wire.Length);
            Assert.False(alice.TrySeal(new byte[20], T0, new byte[63], out _));
            Assert.True(alice.TrySeal(new byte[20], T0, wire, out _));
            Assert.True(bob.TryOpen(wire, T0, plain, out _));
            Assert.False(bob.TryOpen(wire, T0, plain, out _));

            Assert.True(alice.TrySeal(new byte[20], T0, wire, out _));
            var tampered = wire.ToArray();
            tampered[20] ^= 0x01;
            Assert.False(bob.TryOpen(tampered, T0, plain, out _));
            Assert.True(bob.TryOpen(wire, T0, plain, out _));

            Assert.False(alice.TryOpen(wire, T0, plain, out _)); // addressed to Bob's index
            Assert.True(alice.TrySeal(new byte[20], T0, wire, out _));
            Assert.False(bob.TryOpen(wire, T0 + WireGuardLimits.RejectAfterTime, plain, out _));
            Assert.True(bob.TryOpen(wire, T0 + WireGuardLimits.RejectAfterTime - TimeSpan.FromTicks(1), plain, out _));
            Assert.False(alice.TrySeal(new byte[20], T0 + WireGuardLimits.RejectAfterTime, wire, out _));
            Assert.True(alice.ShouldRekeyOnSend(T0 + WireGuardLimits.RekeyAfterTime));
            Assert.False(alice.ShouldRekeyOnSend(T0 + WireGuardLimits.RekeyAfterTime - TimeSpan.FromTicks(1)));
            Assert.False(bob.ShouldRekeyOnSend(T0 + WireGuardLimits.RekeyAfterTime));
        }
    }

    [Fact]
    public void Matching_preshared_keys_complete_and_mismatched_ones_fail_at_the_initiator()
    {
        var psk = PresharedKey.FromBytes(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        using (var pair = new HandshakePair(3, psk, psk))
        {
            var (alice, bob) = pair.Complete(T0);
            var wire = new byte[32];
            Assert.True(alice.TrySeal([], T0, wire, out _));
            Assert.True(bob.TryOpen(wire, T0, new byte[16], out _));
            alice.Dispose();
            bob.Dispose();
        }

        using (var pair = new HandshakePair(4, psk, PresharedKey.None))
        {
            var initiation = pair.Initiation(T0);
            Assert.Equal(HandshakeStatus.Accepted, pair.BobTable.ConsumeInitiation(initiation, T0, out _));
            Assert.Equal(HandshakeStatus.DecryptionFailed, pair.Alice.ConsumeResponse(pair.Response(T0)));
            Assert.Equal(HandshakeState.InitiationCreated, pair.Alice.State);
        }
    }

    [Fact]
    public void A_replayed_or_older_initiation_is_rejected()
    {
        using var pair = new HandshakePair(5);
        var older = pair.Initiation(T0);
        var newer = pair.Initiation(T0 + TimeSpan.FromSeconds(1));
        Assert.Equal(HandshakeStatus.Accepted, pair.BobTable.ConsumeInitiation(newer, T0 + TimeSpan.FromSeconds(1), out _));
        Assert.Equal(HandshakeStatus.ReplayedTimestamp, pair.BobTable.ConsumeInitiation(newer, T0 + TimeSpan.FromSeconds(2), out var peer));
        Assert.Null(peer);
        Assert.Equal(HandshakeStatus.ReplayedTimestamp, pair.BobTable.ConsumeInitiation(older, T0 + TimeSpan.FromSeconds(3), out _));
        Assert.Equal(Tai64N.From(T0 + TimeSpan.FromSeconds(1)), pair.Bob.LastTimestamp);

        var later = pair.Initiation(T0 + TimeSpan.FromSeconds(4));
        Assert.Equal(HandshakeStatus.Accepted, pair.BobTable.ConsumeInitiation(later, T0 + TimeSpan.FromSeconds(4), out _));
    }

    [Fact]
    public void Initiations_faster_than_one_per_20ms_are_a_flood()
    {
        using var pair = new HandshakePair(6);
        Assert.Equal(HandshakeStatus.Accepted, pair.BobTable.ConsumeInitiation(pair.Initiation(T0), T0, out _));
        var next = pair.Initiation(T0 + TimeSpan.FromMilliseconds(40));
        Assert.Equal(HandshakeStatus.Flood, pair.BobTable.ConsumeInitiation(next, T0 + TimeSpan.FromMilliseconds(10), out _));
        Assert.Equal(HandshakeStatus.Accepted, pair.BobTable.ConsumeInitiation(next, T0 + TimeSpan.FromMilliseconds(40), out _));
    }

    [Fact]
    public void An_initiation_from_an_unknown_static_key_is_rejected()
    {
        using var pair = new HandshakePair(7);
        using var mallory = new LocalIdentity(NodePrivateKey.Generate(pair.Random));
        var malloryTable = new HandshakeTable(mallory, pair.Random);
        var toBob = malloryTable.AddPeer(pair.BobTable.Local.PublicKey);
        var buffer = new byte[148];
        Assert.True(toBob.TryCreateInitiation(1, T0, buffer, out _));

        Assert.Equal(MacVerdict.Process, pair.BobTable.Cookies.Check(buffer, HandshakePair.AliceEndpoint, false, T0));
        Assert.Equal(HandshakeStatus.UnknownPeer, pair.BobTable.ConsumeInitiation(buffer, T0, out var peer));
        Assert.Null(peer);

        Assert.True(pair.BobTable.RemovePeer(pair.AliceTable.Local.PublicKey));
        Assert.Equal(HandshakeStatus.UnknownPeer, pair.BobTable.ConsumeInitiation(pair.Initiation(T0), T0, out _));
    }

    [Fact]
    public void A_bad_mac1_is_rejected_without_consuming_anything()
    {
        using var pair = new HandshakePair(8);
        var initiation = pair.Initiation(T0);
        var bad = initiation.ToArray();
        bad[HandshakeInitiation.Mac1Offset] ^= 0x80;

        Assert.Equal(MacVerdict.Drop, pair.BobTable.Cookies.Check(bad, HandshakePair.AliceEndpoint, false, T0));
        Assert.Equal(HandshakeStatus.InvalidMac1, pair.BobTable.ConsumeInitiation(bad, T0, out _));
        Assert.Equal(HandshakeState.Zeroed, pair.Bob.State);
        Assert.Null(pair.Bob.LastTimestamp);

        // The genuine message is still accepted: nothing (timestamp, flood clock) was consumed.
        Assert.Equal(HandshakeStatus.Accepted, pair.BobTable.ConsumeInitiation(initiation, T0, out _));

        var response = pair.Response(T0);
        var badResponse = response.ToArray();
        badResponse[HandshakeResponse.Mac1Offset + 3] ^= 0x01;
        Assert.Equal(HandshakeStatus.InvalidMac1, pair.Alice.ConsumeResponse(badResponse));
        Assert.Equal(HandshakeState.InitiationCreated, pair.Alice.State);
        Assert.Equal(HandshakeStatus.Accepted, pair.Alice.ConsumeResponse(response));
    }

    [Fact]
    public void A_tampered_field_with_a_valid_mac1_fails_decryption()
    {
        using var pair = new HandshakePair(9);
        var initiation = pair.Initiation(T0);
        initiation[50] ^= 0x01; // inside the encrypted static
        new CookieGenerator(pair.BobTable.Local.PublicKey).AddMacs(initiation, T0);
        Assert.Equal(HandshakeStatus.DecryptionFailed, pair.BobTable.ConsumeInitiation(initiation, T0, out _));
        Assert.Equal(HandshakeState.Zeroed, pair.Bob.State);
    }

    [Fact]
    public void Responses_are_only_accepted_for_the_pending_initiation()
    {
        using var pair = new HandshakePair(10);
        Assert.Equal(HandshakeStatus.Accepted, pair.BobTable.ConsumeInitiation(pair.Initiation(T0, index: 11), T0, out _));
        var response = pair.Response(T0);
        pair.Alice.Clear();
        Assert.Equal(HandshakeStatus.InvalidState, pair.Alice.ConsumeResponse(response));
        Assert.False(pair.Alice.TryDeriveSession(T0, out _));

        pair.Initiation(T0 + TimeSpan.FromSeconds(1), index: 99);
        Assert.Equal(HandshakeStatus.UnexpectedIndex, pair.Alice.ConsumeResponse(response));
        Assert.False(pair.Bob.TryCreateResponse(1, T0, new byte[91], out _));
    }

    [Fact]
    public void Under_load_a_cookie_reply_lets_the_initiator_retry_with_mac2()
    {
        using var pair = new HandshakePair(11);
        var source = HandshakePair.AliceEndpoint;
        var first = pair.Initiation(T0);
        Assert.Equal(MacVerdict.SendCookieReply, pair.BobTable.Cookies.Check(first, source, underLoad: true, T0));

        var reply = new byte[CookieReply.Size];
        Assert.True(pair.BobTable.Cookies.TryCreateReply(first, source, T0, reply, out var written));
        Assert.Equal(64, written);
        Assert.Equal(MessageType.CookieReply, DatagramClassifier.Classify(reply));
        Assert.True(CookieReply.TryParse(reply, out var parsed));
        Assert.Equal(11u, parsed.ReceiverIndex);

        Assert.True(pair.Alice.Cookies.TryConsumeReply(reply, T0));
        Assert.True(pair.Alice.Cookies.HasFreshCookie(T0 + TimeSpan.FromSeconds(119)));
        Assert.False(pair.Alice.Cookies.HasFreshCookie(T0 + TimeSpan.FromSeconds(120)));

        var second = pair.Initiation(T0 + TimeSpan.FromSeconds(1));
        Assert.NotEqual(new byte[16], second[HandshakeInitiation.Mac2Offset..]);
        Assert.Equal(MacVerdict.Process, pair.BobTable.Cookies.Check(second, source, underLoad: true, T0 + TimeSpan.FromSeconds(1)));
        Assert.Equal(MacVerdict.SendCookieReply, pair.BobTable.Cookies.Check(second, new IPEndPoint(source.Address, 51821), true, T0 + TimeSpan.FromSeconds(1)));
        Assert.Equal(HandshakeStatus.Accepted, pair.BobTable.ConsumeInitiation(second, T0 + TimeSpan.FromSeconds(1), out _));

        // Bob's secret expires 120 s after it was made: the old cookie no longer counts.
        var late = pair.Initiation(T0 + TimeSpan.FromSeconds(110));
        Assert.Equal(MacVerdict.Process, pair.BobTable.Cookies.Check(late, source, true, T0 + TimeSpan.FromSeconds(110)));
        Assert.Equal(MacVerdict.SendCookieReply, pair.BobTable.Cookies.Check(late, source, true, T0 + TimeSpan.FromSeconds(120)));

        // After 120 s Alice stops sending mac2.
        var stale = pair.Initiation(T0 + TimeSpan.FromSeconds(121));
        Assert.Equal(new byte[16], stale[HandshakeInitiation.Mac2Offset..]);
    }

    [Fact]
    public void A_cookie_reply_that_does_not_answer_our_last_mac1_is_ignored()
    {
        using var pair = new HandshakePair(12);
        var first = pair.Initiation(T0);
        var reply = new byte[64];
        Assert.True(pair.BobTable.Cookies.TryCreateReply(first, HandshakePair.AliceEndpoint, T0, reply, out _));
        pair.Initiation(T0 + TimeSpan.FromSeconds(1)); // a newer initiation changes the remembered mac1
        Assert.False(pair.Alice.Cookies.TryConsumeReply(reply, T0));
        Assert.False(pair.Alice.Cookies.HasFreshCookie(T0));

        var fresh = new CookieGenerator(pair.BobTable.Local.PublicKey);
        Assert.False(fresh.TryConsumeReply(reply, T0)); // never sent anything
    }
}
