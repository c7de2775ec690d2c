using System.Net;
using System.Security.Cryptography;
using System.Text;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Disco;

namespace HamachiCloud.Protocol.Tests.Disco;

public sealed class DiscoCodecTests
{
    private const string TxIdHex = "0102030405060708090a0b0c";

    [Fact]
    public void Plaintexts_write_and_parse_golden_bytes()
    {
        var txId = UInt128.Parse("0102030405060708090a0b0c", System.Globalization.NumberStyles.HexNumber);

        AssertGolden(DiscoMessage.Ping(txId), "01" + TxIdHex);
        AssertGolden(
            DiscoMessage.Pong(txId, new IPEndPoint(IPAddress.Parse("203.0.113.7"), 41641)),
            "02" + TxIdHex + "00000000000000000000ffffcb007107" + "a2a9");
        AssertGolden(
            DiscoMessage.CallMeMaybe(txId, [new IPEndPoint(IPAddress.Parse("198.18.0.2"), 51820), new IPEndPoint(IPAddress.Parse("2001:db8::1"), 1)]),
            "03" + TxIdHex + "02" + "00000000000000000000ffffc6120002" + "ca6c" + "20010db8000000000000000000000001" + "0001");

        Assert.True(DiscoMessage.TryParse(Hex.Parse("02" + TxIdHex + "00000000000000000000ffffcb007107a2a9"), out var pong));
        Assert.Equal(DiscoMessageType.Pong, pong!.Type);
        Assert.Equal(txId, pong.TxId);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("203.0.113.7"), 41641), pong.Source);

        Assert.True(DiscoMessage.TryParse(Hex.Parse("03" + TxIdHex + "01" + "00000000000000000000ffffc6120002" + "ca6c"), out var call));
        Assert.Equal([new IPEndPoint(IPAddress.Parse("198.18.0.2"), 51820)], call!.Endpoints);

        // A ping may carry padding; it is ignored.
        Assert.True(DiscoMessage.TryParse(Hex.Parse("01" + TxIdHex + "000000"), out var padded));
        Assert.Equal(DiscoMessageType.Ping, padded!.Type);
    }

    [Theory]
    [InlineData("")]
    [InlineData("01")]
    [InlineData("010203040506070809")]
    [InlineData("04" + TxIdHex)]
    [InlineData("00" + TxIdHex)]
    [InlineData("02" + TxIdHex + "00000000000000000000ffffcb007107a2")]
    [InlineData("03" + TxIdHex)]
    [InlineData("03" + TxIdHex + "02" + "00000000000000000000ffffc6120002ca6c")]
    [InlineData("03" + TxIdHex + "21")]
    public void Malformed_plaintexts_are_refused(string hex)
    {
        Assert.False(DiscoMessage.TryParse(Hex.Parse(hex), out var message));
        Assert.Null(message);
    }

    [Fact]
    public void Sealed_ping_has_the_documented_layout_and_golden_bytes()
    {
        using var alice = NodePrivateKey.FromBytes(Fill(0x11, 32));
        using var bob = NodePrivateKey.FromBytes(Fill(0x22, 32));
        var box = new DiscoBox(alice, new DeterministicRandom(7));
        var txId = UInt128.Parse(TxIdHex, System.Globalization.NumberStyles.HexNumber);

        var sealedBytes = new byte[200];
        Assert.True(box.TrySeal(bob.PublicKey, DiscoMessage.Ping(txId), sealedBytes, out var written));
        Assert.Equal(DiscoBox.MinimumSize, written);
        var sealedMessage = sealedBytes.AsSpan(0, written).ToArray();

        // Rebuild it from the layout alone: magic | sender | nonce | ChaCha20-Poly1305(key, nonce, plaintext, aad = magic | sender).
        var nonce = new DeterministicRandom(7).Bytes(12);
        Span<byte> shared = stackalloc byte[32];
        Assert.True(alice.TryAgree(bob.PublicKey.Bytes, shared));
        var key = new byte[32];
        Blake2s.Hash(Encoding.ASCII.GetBytes("hamachi disco v1"), shared, key);
        var aad = Hex.Parse("48434401").Concat(alice.PublicKey.Bytes.ToArray()).ToArray();
        var plaintext = Hex.Parse("01" + TxIdHex);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[16];
        using (var cipher = new ChaCha20Poly1305(key))
        {
            cipher.Encrypt(nonce, plaintext, ciphertext, tag, aad);
        }

        Assert.Equal(Hex.Format([.. aad, .. nonce, .. ciphertext, .. tag]), Hex.Format(sealedMessage));
        Assert.Equal(GoldenSealedPing, Hex.Format(sealedMessage));

        // The receiver opens it and learns the sender.
        var bobBox = new DiscoBox(bob, new DeterministicRandom(8));
        Assert.True(bobBox.TryOpen(sealedMessage, out var sender, out var opened));
        Assert.Equal(alice.PublicKey, sender);
        Assert.Equal(DiscoMessageType.Ping, opened!.Type);
        Assert.Equal(txId, opened.TxId);
    }

    [Fact]
    public void Key_is_the_same_both_ways_and_differs_per_pair()
    {
        using var alice = NodePrivateKey.FromBytes(Fill(0x11, 32));
        using var bob = NodePrivateKey.FromBytes(Fill(0x22, 32));
        using var carol = NodePrivateKey.FromBytes(Fill(0x33, 32));
        Assert.Equal(DiscoBox.DeriveKey(alice, bob.PublicKey), DiscoBox.DeriveKey(bob, alice.PublicKey));
        Assert.NotEqual(DiscoBox.DeriveKey(alice, bob.PublicKey), DiscoBox.DeriveKey(alice, carol.PublicKey));
    }

    [Fact]
    public void Every_tampered_byte_truncation_and_wrong_receiver_is_refused()
    {
        using var alice = NodePrivateKey.FromBytes(Fill(0x11, 32));
        using var bob = NodePrivateKey.FromBytes(Fill(0x22, 32));
        using var carol = NodePrivateKey.FromBytes(Fill(0x33, 32));
        var aliceBox = new DiscoBox(alice, new DeterministicRandom(1));
        var bobBox = new DiscoBox(bob, new DeterministicRandom(2));
        var carolBox = new DiscoBox(carol, new DeterministicRandom(3));

        var buffer = new byte[300];
        var message = DiscoMessage.Pong(42, new IPEndPoint(IPAddress.Parse("198.51.100.9"), 7));
        Assert.True(aliceBox.TrySeal(bob.PublicKey, message, buffer, out var written));
        var sealedMessage = buffer.AsSpan(0, written).ToArray();
        Assert.True(bobBox.TryOpen(sealedMessage, out _, out var opened));
        Assert.Equal(message.Source, opened!.Source);

        for (var i = 0; i < sealedMessage.Length; i++)
        {
            for (var bit = 0; bit < 8; bit += 3)
            {
                var tampered = sealedMessage.ToArray();
                tampered[i] ^= (byte)(1 << bit);
                Assert.False(bobBox.TryOpen(tampered, out var sender, out var parsed), $"byte {i} bit {bit}");
                Assert.Null(sender);
                Assert.Null(parsed);
            }
        }

        for (var length = 0; length < sealedMessage.Length; length++)
        {
            Assert.False(bobBox.TryOpen(sealedMessage.AsSpan(0, length), out _, out _), $"truncated to {length}");
        }

        Assert.False(carolBox.TryOpen(sealedMessage, out _, out _));
        // Our own sender key (a reflected message) is refused.
        Assert.False(aliceBox.TryOpen(sealedMessage, out _, out _));
    }

    [Fact]
    public void Random_round_trips()
    {
        var random = new DeterministicRandom(99);
        using var alice = NodePrivateKey.Generate(random);
        using var bob = NodePrivateKey.Generate(random);
        var aliceBox = new DiscoBox(alice, random);
        var bobBox = new DiscoBox(bob, random);
        var buffer = new byte[DiscoBox.MaximumSize];
        for (var round = 0; round < 200; round++)
        {
            var txId = (((UInt128)random.NextUInt64()) << 64 | random.NextUInt64()) & DiscoMessage.TxIdMask;
            var endpoints = Enumerable.Range(0, random.Next(DiscoMessage.MaxEndpoints + 1))
                .Select(_ => new IPEndPoint(random.Next(2) == 0 ? new IPAddress(random.Bytes(4)) : new IPAddress(random.Bytes(16)), random.Next(65536)))
                .ToArray();
            var message = (random.Next(3)) switch
            {
                0 => DiscoMessage.Ping(txId),
                1 => DiscoMessage.Pong(txId, endpoints.Length > 0 ? endpoints[0] : new IPEndPoint(IPAddress.Loopback, 1)),
                _ => DiscoMessage.CallMeMaybe(txId, endpoints),
            };

            Assert.True(aliceBox.TrySeal(bob.PublicKey, message, buffer, out var written));
            Assert.True(bobBox.TryOpen(buffer.AsSpan(0, written), out var sender, out var opened));
            Assert.Equal(alice.PublicKey, sender);
            Assert.Equal(message.Type, opened!.Type);
            Assert.Equal(message.TxId, opened.TxId);
            Assert.Equal(message.Source, opened.Source);
            Assert.Equal(message.Endpoints ?? [], opened.Endpoints ?? []);
        }
    }

    [Fact]
    public void Seal_refuses_small_buffers_and_oversized_lists()
    {
        using var alice = NodePrivateKey.FromBytes(Fill(0x11, 32));
        using var bob = NodePrivateKey.FromBytes(Fill(0x22, 32));
        var box = new DiscoBox(alice, new DeterministicRandom(1));
        Assert.False(box.TrySeal(bob.PublicKey, DiscoMessage.Ping(1), new byte[DiscoBox.MinimumSize - 1], out _));
        var tooMany = Enumerable.Range(0, DiscoMessage.MaxEndpoints + 1).Select(i => new IPEndPoint(IPAddress.Loopback, i)).ToArray();
        Assert.False(box.TrySeal(bob.PublicKey, DiscoMessage.CallMeMaybe(1, tooMany), new byte[2000], out _));
    }

    private const string GoldenSealedPing =
        "48434401" + "7b4e909bbe7ffe44c465a220037d608ee35897d31ef972f07f74892cb0f73f13" + "d71c02cbda11f6fe6169eb2c" + "56f2ac3343141f1bbd708da9cdace575eece602e02059c7a00841ad391";

    private static void AssertGolden(DiscoMessage message, string hex)
    {
        var buffer = new byte[message.Size];
        Assert.True(message.TryWrite(buffer, out var written));
        Assert.Equal(hex, Hex.Format(buffer.AsSpan(0, written)));
    }

    private static byte[] Fill(byte value, int length) => Enumerable.Repeat(value, length).ToArray();
}
