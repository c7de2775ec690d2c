using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.WireGuard;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace HamachiCloud.Protocol.Tests.WireGuard;

/// <summary>
/// A second, deliberately naive responder written straight from the whitepaper formulas (arrays,
/// BouncyCastle HMAC, .NET AEAD with hand-built nonces) talks to our initiator. A mistake made
/// symmetrically on both sides of <see cref="NoiseHandshake"/> would pass the two-peer test but fails here.
/// </summary>
public sealed class SpecTranscriptTests
{
    private static readonly DateTimeOffset T0 = HandshakePair.T0;

    [Fact]
    public void Our_initiator_interoperates_with_a_whitepaper_responder()
    {
        using var random = new DeterministicRandom(555);
        using var alice = new LocalIdentity(NodePrivateKey.Generate(random));
        var bobPrivate = random.Bytes(32);
        using var bob = NodePrivateKey.FromBytes(bobPrivate);
        var psk = random.Bytes(32);
        var table = new HandshakeTable(alice, random);
        var handshake = table.AddPeer(bob.PublicKey, PresharedKey.FromBytes(psk));

        var initiation = new byte[148];
        Assert.True(handshake.TryCreateInitiation(0x01020304, T0, initiation, out _));

        // --- responder, from the whitepaper ---
        Assert.Equal(1, initiation[0]);
        Assert.Equal(0x01020304u, BinaryPrimitives.ReadUInt32LittleEndian(initiation.AsSpan(4)));
        Assert.Equal(Mac(Hash(Ascii("mac1----"), bob.PublicKey.Bytes.ToArray()), initiation[..116]), initiation[116..132]);
        Assert.Equal(new byte[16], initiation[132..148]);

        var c = Hash(Ascii("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s"));
        var h = Hash(Hash(c, Ascii("WireGuard v1 zx2c4 Jason@zx2c4.com")), bob.PublicKey.Bytes.ToArray());
        var ei = initiation[8..40];
        c = Kdf(c, ei, 1)[0];
        h = Hash(h, ei);
        var k = Kdf(c, Dh(bob, ei), 2);
        c = k[0];
        var staticPlain = Open(k[1], 0, initiation[40..88], h);
        Assert.Equal(alice.PublicKey.Bytes.ToArray(), staticPlain);
        h = Hash(h, initiation[40..88]);
        k = Kdf(c, Dh(bob, staticPlain), 2);
        c = k[0];
        var timestamp = Open(k[1], 0, initiation[88..116], h);
        var expectedTimestamp = new byte[12];
        Tai64N.From(T0).TryWrite(expectedTimestamp, out _);
        Assert.Equal(expectedTimestamp, timestamp);
        h = Hash(h, initiation[88..116]);

        using var bobEphemeral = NodePrivateKey.Generate(random);
        var er = bobEphemeral.PublicKey.Bytes.ToArray();
        c = Kdf(c, er, 1)[0];
        h = Hash(h, er);
        c = Kdf(c, Dh(bobEphemeral, ei), 1)[0];
        c = Kdf(c, Dh(bobEphemeral, staticPlain), 1)[0];
        k = Kdf(c, psk, 3);
        c = k[0];
        h = Hash(h, k[1]);
        var empty = Seal(k[2], 0, [], h);

        var response = new byte[92];
        response[0] = 2;
        BinaryPrimitives.WriteUInt32LittleEndian(response.AsSpan(4), 0xa0b0c0d0);
        BinaryPrimitives.WriteUInt32LittleEndian(response.AsSpan(8), 0x01020304);
        er.CopyTo(response, 12);
        empty.CopyTo(response, 44);
        Mac(Hash(Ascii("mac1----"), alice.PublicKey.Bytes.ToArray()), response[..60]).CopyTo(response, 60);

        var transportKeys = Kdf(c, [], 2); // (initiator send = responder receive, initiator receive = responder send)

        // --- back to our implementation ---
        Assert.Equal(HandshakeStatus.Accepted, handshake.ConsumeResponse(response));
        Assert.True(handshake.TryDeriveSession(T0, out var session));
        using (session)
        {
            var packet = Ascii("ping from the initiator");
            var wire = new byte[TransportSession.SealedLength(packet.Length)];
            Assert.True(session!.TrySeal(packet, T0, wire, out _));
            Assert.True(session.TrySeal(packet, T0, wire, out _)); // counter 1
            Assert.Equal("04000000" + "d0c0b0a0" + "0100000000000000", Hex.Format(wire.AsSpan(0, 16)));
            var padded = Open(transportKeys[0], 1, wire[16..], []);
            Assert.Equal(32, padded.Length);
            Assert.Equal(packet, padded[..packet.Length]);

            var reply = Seal(transportKeys[1], 0, Ascii("pong, padded by hand".PadRight(32, '\0')), []);
            byte[] replyWire = [.. Hex.Parse("04000000 04030201 0000000000000000"), .. reply];
            var plain = new byte[64];
            Assert.True(session.TryOpen(replyWire, T0, plain, out var length));
            Assert.Equal("pong, padded by hand", Encoding.ASCII.GetString(plain, 0, length).TrimEnd('\0'));
        }
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Hash(params byte[][] parts)
    {
        var digest = new Blake2sDigest(256);
        foreach (var part in parts)
        {
            digest.BlockUpdate(part, 0, part.Length);
        }

        var output = new byte[32];
        digest.DoFinal(output, 0);
        return output;
    }

    private static byte[] Mac(byte[] key, byte[] data)
    {
        var digest = new Blake2sDigest(key, 16, null, null);
        digest.BlockUpdate(data, 0, data.Length);
        var output = new byte[16];
        digest.DoFinal(output, 0);
        return output;
    }

    private static byte[] Hmac(byte[] key, byte[] data)
    {
        var hmac = new HMac(new Blake2sDigest(256));
        hmac.Init(new KeyParameter(key));
        hmac.BlockUpdate(data, 0, data.Length);
        var output = new byte[32];
        hmac.DoFinal(output, 0);
        return output;
    }

    private static byte[][] Kdf(byte[] key, byte[] input, int n)
    {
        var t0 = Hmac(key, input);
        var outputs = new byte[n][];
        var previous = Array.Empty<byte>();
        for (var i = 0; i < n; i++)
        {
            previous = Hmac(t0, [.. previous, (byte)(i + 1)]);
            outputs[i] = previous;
        }

        return outputs;
    }

    private static byte[] Dh(NodePrivateKey key, byte[] publicKey)
    {
        var shared = new byte[32];
        Assert.True(key.TryAgree(publicKey, shared));
        return shared;
    }

    private static byte[] Nonce(ulong counter)
    {
        var nonce = new byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(nonce.AsSpan(4), counter);
        return nonce;
    }

    private static byte[] Seal(byte[] key, ulong counter, byte[] plaintext, byte[] aad)
    {
        using var aead = new ChaCha20Poly1305(key);
        var output = new byte[plaintext.Length + 16];
        aead.Encrypt(Nonce(counter), plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length), aad);
        return output;
    }

    private static byte[] Open(byte[] key, ulong counter, byte[] sealedBytes, byte[] aad)
    {
        using var aead = new ChaCha20Poly1305(key);
        var output = new byte[sealedBytes.Length - 16];
        aead.Decrypt(Nonce(counter), sealedBytes.AsSpan(0, output.Length), sealedBytes.AsSpan(output.Length), output, aad);
        return output;
    }
}
