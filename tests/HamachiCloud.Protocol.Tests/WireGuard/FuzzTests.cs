using HamachiCloud.Protocol.WireGuard;

namespace HamachiCloud.Protocol.Tests.WireGuard;

/// <summary>
/// Robustness: random, truncated, extended and bit-flipped datagrams go through every entry point that
/// sees network input. Nothing may throw, and nothing altered in an authenticated region may be accepted.
/// </summary>
public sealed class FuzzTests
{
    private const int Iterations = 10_000;
    private static readonly DateTimeOffset T0 = HandshakePair.T0;

    [Fact]
    public void Ten_thousand_hostile_datagrams_cause_no_exception_and_no_false_accept()
    {
        using var pair = new HandshakePair(31337);
        using var sessions = new HandshakePair(4242);
        var (aliceSession, bobSession) = sessions.Complete(T0);
        using var aliceSessionOwned = aliceSession;
        using var bobSessionOwned = bobSession;

        var initiation = pair.Initiation(T0);
        var cookieReply = new byte[CookieReply.Size];
        Assert.True(pair.BobTable.Cookies.TryCreateReply(initiation, HandshakePair.AliceEndpoint, T0, cookieReply, out _));
        Assert.Equal(HandshakeStatus.Accepted, pair.BobTable.ConsumeInitiation(initiation, T0, out _));
        var response = pair.Response(T0);
        var transport = new byte[TransportSession.SealedLength(100)];
        Assert.True(aliceSession.TrySeal(new byte[100], T0, transport, out _));

        byte[][] seeds = [initiation, response, cookieReply, transport];
        var random = new DeterministicRandom(2718);
        var plain = new byte[2048];
        var scratch = new byte[256];
        var now = T0 + TimeSpan.FromSeconds(1);
        var counts = new int[5];

        for (var i = 0; i < Iterations; i++)
        {
            var datagram = Mutate(random, seeds, out var seed);
            var kind = DatagramClassifier.Classify(datagram);
            counts[(int)kind]++;

            // Parsers and classifier agree on every input.
            Assert.Equal(kind == MessageType.HandshakeInitiation, HandshakeInitiation.TryParse(datagram, out _));
            Assert.Equal(kind == MessageType.HandshakeResponse, HandshakeResponse.TryParse(datagram, out _));
            Assert.Equal(kind == MessageType.CookieReply, CookieReply.TryParse(datagram, out _));
            Assert.Equal(kind == MessageType.TransportData, TransportHeader.TryParse(datagram, out _));
            pair.BobTable.Cookies.Check(datagram, HandshakePair.AliceEndpoint, underLoad: (i & 1) == 0, now);
            pair.BobTable.Cookies.TryCreateReply(datagram, HandshakePair.AliceEndpoint, now, scratch, out _);

            var initiationStatus = pair.BobTable.ConsumeInitiation(datagram, now, out _);
            if (initiationStatus == HandshakeStatus.Accepted)
            {
                Assert.True(SamePrefix(datagram, initiation, HandshakeInitiation.Mac2Offset), "an altered initiation was accepted");
            }

            var responseStatus = pair.Alice.ConsumeResponse(datagram);
            if (responseStatus == HandshakeStatus.Accepted)
            {
                Assert.True(SamePrefix(datagram, response, HandshakeResponse.Mac2Offset), "an altered response was accepted");
            }

            if (pair.Alice.Cookies.TryConsumeReply(datagram, now))
            {
                // The receiver index only routes the reply (it is not authenticated, as in WireGuard);
                // nonce and sealed cookie must be untouched.
                Assert.Equal(cookieReply.AsSpan(8).ToArray(), datagram.AsSpan(8).ToArray());
            }

            if (bobSession.TryOpen(datagram, now, plain, out _))
            {
                Assert.Equal(transport, datagram);
            }

            now += TimeSpan.FromMilliseconds(1);
            _ = seed;
        }

        // The run exercised every message kind and the unknown bucket.
        Assert.All(counts, c => Assert.True(c > 100, $"kind counts {string.Join(",", counts)}"));
    }

    [Fact]
    public void Truncations_of_every_valid_message_are_rejected_cleanly()
    {
        using var pair = new HandshakePair(99);
        var initiation = pair.Initiation(T0);
        for (var length = 0; length < initiation.Length; length++)
        {
            var prefix = initiation.AsSpan(0, length);
            Assert.Equal(MessageType.Unknown, DatagramClassifier.Classify(prefix));
            Assert.Equal(HandshakeStatus.Malformed, pair.BobTable.ConsumeInitiation(prefix, T0, out _));
            Assert.Equal(HandshakeStatus.Malformed, pair.Alice.ConsumeResponse(prefix));
            Assert.Equal(MacVerdict.Drop, pair.BobTable.Cookies.Check(prefix, HandshakePair.AliceEndpoint, true, T0));
        }

        Assert.Equal(HandshakeStatus.Accepted, pair.BobTable.ConsumeInitiation(initiation, T0, out _));
    }

    private static byte[] Mutate(DeterministicRandom random, byte[][] seeds, out int seed)
    {
        seed = random.Next(seeds.Length + 1);
        if (seed == seeds.Length)
        {
            // Pure noise, sometimes with a plausible type header and a WireGuard length.
            int[] lengths = [0, 1, 3, 4, 31, 32, 63, 64, 91, 92, 147, 148, 149, 1500];
            var noise = random.Bytes(lengths[random.Next(lengths.Length)]);
            if (noise.Length >= 4 && random.Next(2) == 0)
            {
                noise[0] = (byte)(1 + random.Next(4));
                noise[1] = noise[2] = noise[3] = 0;
            }

            return noise;
        }

        var datagram = seeds[seed].ToArray();
        switch (random.Next(5))
        {
            case 0:
                return datagram[..random.Next(datagram.Length)];
            case 1:
                return [.. datagram, .. random.Bytes(1 + random.Next(8))];
            case 2:
                return datagram; // pristine: replays must be refused by state, not by luck
            default:
                for (var flips = 1 + random.Next(3); flips > 0; flips--)
                {
                    datagram[random.Next(datagram.Length)] ^= (byte)(1 << random.Next(8));
                }

                return datagram;
        }
    }

    private static bool SamePrefix(byte[] a, byte[] b, int length) =>
        a.Length == b.Length && a.AsSpan(0, length).SequenceEqual(b.AsSpan(0, length));
}
