using System.Security.Cryptography;
using System.Text;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.WireGuard;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace HamachiCloud.Protocol.Tests.Crypto;

public sealed class CryptoKnownAnswerTests
{
    [Fact]
    public void Blake2s_matches_rfc7693_and_empty_vectors()
    {
        var abc = new byte[32];
        Blake2s.Hash("abc"u8, abc);
        Assert.Equal("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982", Hex.Format(abc));

        var empty = new byte[32];
        Blake2s.Hash(ReadOnlySpan<byte>.Empty, empty);
        Assert.Equal("69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9", Hex.Format(empty));
    }

    [Fact]
    public void Hash_of_two_parts_is_hash_of_concatenation()
    {
        var split = new byte[32];
        var whole = new byte[32];
        Blake2s.Hash("ab"u8, "c"u8, split);
        Blake2s.Hash("abc"u8, whole);
        Assert.Equal(whole, split);
    }

    [Fact]
    public void Initial_chaining_key_and_hash_match_values_published_by_other_implementations()
    {
        // HASH(CONSTRUCTION) and HASH(C0 || IDENTIFIER), as hard-coded in boringtun (noise/handshake.rs).
        byte[] chainKey = [96, 226, 109, 174, 243, 39, 239, 192, 46, 195, 53, 226, 160, 37, 210, 208, 22, 235, 66, 6, 248, 114, 119, 245, 45, 56, 209, 152, 139, 120, 205, 54];
        byte[] hash = [34, 17, 179, 97, 8, 26, 197, 102, 105, 18, 67, 219, 69, 138, 213, 50, 45, 156, 108, 102, 34, 147, 232, 183, 14, 225, 156, 101, 186, 7, 158, 243];
        Assert.Equal(chainKey, NoiseProtocol.InitialChainKey.ToArray());
        Assert.Equal(hash, NoiseProtocol.InitialHash.ToArray());
    }

    [Fact]
    public void Hmac_matches_an_independent_rfc2104_implementation()
    {
        var random = new DeterministicRandom(7);
        for (var i = 0; i < 50; i++)
        {
            var key = random.Bytes(random.Next(65));
            var data = random.Bytes(random.Next(300));
            var ours = new byte[32];
            Blake2s.Hmac(key, data, ReadOnlySpan<byte>.Empty, ours);
            Assert.Equal(ReferenceHmac(key, data), ours);
        }
    }

    [Fact]
    public void Kdf_outputs_follow_the_whitepaper_definition()
    {
        var random = new DeterministicRandom(11);
        var key = random.Bytes(32);
        var input = random.Bytes(32);

        var t0 = ReferenceHmac(key, input);
        var t1 = ReferenceHmac(t0, [1]);
        var t2 = ReferenceHmac(t0, [.. t1, 2]);
        var t3 = ReferenceHmac(t0, [.. t2, 3]);

        byte[] a = new byte[32], b = new byte[32], c = new byte[32];
        NoiseKdf.Kdf3(key, input, a, b, c);
        Assert.Equal(t1, a);
        Assert.Equal(t2, b);
        Assert.Equal(t3, c);

        byte[] k1 = new byte[32], k2 = new byte[32];
        NoiseKdf.Kdf2(key, input, k1, k2);
        Assert.Equal(t1, k1);
        Assert.Equal(t2, k2);

        // Output aliasing the key, as the handshake does with the chaining key.
        var aliased = key.ToArray();
        NoiseKdf.Kdf1(aliased, input, aliased);
        Assert.Equal(t1, aliased);
    }

    [Fact]
    public void Mac_is_keyed_blake2s_with_16_byte_output()
    {
        var key = new byte[32];
        key[0] = 1;
        var mac = new byte[16];
        Blake2s.Mac(key, "message"u8, mac);

        var reference = new Blake2sDigest(key, 16, null, null);
        Assert.Equal(16, reference.GetDigestSize());
        var expected = new byte[16];
        reference.BlockUpdate("message"u8);
        reference.DoFinal(expected);
        Assert.Equal(expected, mac);

        var other = new byte[16];
        key[0] = 2;
        Blake2s.Mac(key, "message"u8, other);
        Assert.NotEqual(mac, other);
    }

    [Fact]
    public void X25519_matches_rfc7748_section_6_1()
    {
        using var alice = NodePrivateKey.FromBytes(Hex.Parse("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        using var bob = NodePrivateKey.FromBytes(Hex.Parse("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Hex.Format(alice.PublicKey.Bytes));
        Assert.Equal("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Hex.Format(bob.PublicKey.Bytes));

        var ab = new byte[32];
        var ba = new byte[32];
        Assert.True(alice.TryAgree(bob.PublicKey.Bytes, ab));
        Assert.True(bob.TryAgree(alice.PublicKey.Bytes, ba));
        Assert.Equal("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", Hex.Format(ab));
        Assert.Equal(ab, ba);
    }

    [Fact]
    public void X25519_rejects_a_low_order_point()
    {
        using var key = NodePrivateKey.Generate(new DeterministicRandom(3));
        Assert.False(key.TryAgree(new byte[32], new byte[32]));
    }

    [Fact]
    public void Aead_uses_four_zero_bytes_and_a_little_endian_counter_as_nonce()
    {
        var random = new DeterministicRandom(5);
        var key = random.Bytes(32);
        var plaintext = random.Bytes(40);
        var aad = random.Bytes(7);
        const ulong counter = 0x0102030405060708;

        var ours = new byte[56];
        WireGuardAead.Seal(key, counter, plaintext, aad, ours);

        var nonce = Hex.Parse("00000000 0807060504030201");
        var expected = new byte[56];
        using (var cipher = new ChaCha20Poly1305(key))
        {
            cipher.Encrypt(nonce, plaintext, expected.AsSpan(0, 40), expected.AsSpan(40), aad);
        }

        Assert.Equal(expected, ours);
        var opened = new byte[40];
        Assert.True(WireGuardAead.TryOpen(key, counter, ours, aad, opened));
        Assert.Equal(plaintext, opened);
        Assert.False(WireGuardAead.TryOpen(key, counter + 1, ours, aad, opened));
    }

    [Fact]
    public void Cookie_aead_round_trips_and_binds_nonce_and_aad()
    {
        var random = new DeterministicRandom(9);
        var key = random.Bytes(32);
        var nonce = random.Bytes(24);
        var cookie = random.Bytes(16);
        var aad = random.Bytes(16);
        var sealedCookie = new byte[32];
        CookieAead.Seal(key, nonce, cookie, aad, sealedCookie);

        var opened = new byte[16];
        Assert.True(CookieAead.TryOpen(key, nonce, sealedCookie, aad, opened));
        Assert.Equal(cookie, opened);

        aad[0] ^= 1;
        Assert.False(CookieAead.TryOpen(key, nonce, sealedCookie, aad, opened));
        aad[0] ^= 1;
        nonce[23] ^= 1;
        Assert.False(CookieAead.TryOpen(key, nonce, sealedCookie, aad, opened));
    }

    [Fact]
    public void Tai64n_encodes_base_plus_unix_seconds_and_whitened_nanoseconds()
    {
        var at = DateTimeOffset.UnixEpoch.AddSeconds(10.5);
        var bytes = new byte[12];
        Assert.True(Tai64N.From(at).TryWrite(bytes, out var written));
        Assert.Equal(12, written);
        // 0x400000000000000a + 10 seconds; 500_000_000 ns = 0x1dcd6500, low 24 bits cleared.
        Assert.Equal("4000000000000014" + "1d000000", Hex.Format(bytes));
        Assert.True(Tai64N.TryParse(bytes, out var parsed));
        Assert.Equal(Tai64N.From(at), parsed);
        Assert.True(Tai64N.From(at.AddMilliseconds(17)).IsAfter(parsed));
        Assert.False(Tai64N.From(at.AddMilliseconds(1)).IsAfter(parsed));
    }

    [Fact]
    public void Node_key_formats_as_nodekey_hex_and_wireguard_base64()
    {
        var raw = Hex.Parse("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        var key = NodeKey.FromBytes(raw);
        Assert.Equal("nodekey:de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", key.ToString());
        Assert.Equal(key, NodeKey.Parse(key.ToString()));
        Assert.Equal(Convert.ToBase64String(raw), key.ToBase64());
        Assert.True(NodeKey.TryParseBase64(key.ToBase64(), out var fromBase64));
        Assert.Equal(key, fromBase64);
        Assert.Equal(key.GetHashCode(), fromBase64!.GetHashCode());

        Assert.False(NodeKey.TryParse("nodekey:abcd", out _));
        Assert.False(NodeKey.TryParse("mkey:" + new string('0', 64), out _));
        Assert.False(NodeKey.TryParse("nodekey:" + new string('z', 64), out _));
        Assert.False(NodeKey.TryParseBase64("AAAA", out _));
        Assert.False(NodeKey.TryParseBase64("not base64!", out _));
    }

    [Fact]
    public void Private_key_round_trips_through_base64_and_keeps_its_public_key()
    {
        using var key = NodePrivateKey.Generate(new DeterministicRandom(1));
        Assert.True(NodePrivateKey.TryParseBase64(key.ToBase64(), out var again));
        using (again)
        {
            Assert.Equal(key.PublicKey, again!.PublicKey);
        }

        Assert.True(PresharedKey.TryParseBase64(Convert.ToBase64String(new byte[32]), out var psk));
        Assert.Equal(PresharedKey.None.Bytes.ToArray(), psk!.Bytes.ToArray());
        Assert.DoesNotContain(Convert.ToBase64String(new byte[32]), psk.ToString(), StringComparison.Ordinal);
    }

    private static byte[] ReferenceHmac(byte[] key, byte[] data)
    {
        var hmac = new HMac(new Blake2sDigest(256));
        hmac.Init(new KeyParameter(key));
        hmac.BlockUpdate(data, 0, data.Length);
        var output = new byte[32];
        hmac.DoFinal(output, 0);
        return output;
    }

    [Fact]
    public void Labels_and_identifiers_are_the_wireguard_strings()
    {
        Assert.Equal("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s", NoiseProtocol.Construction);
        Assert.Equal("WireGuard v1 zx2c4 Jason@zx2c4.com", NoiseProtocol.Identifier);
        Assert.Equal(8, Encoding.ASCII.GetByteCount(NoiseProtocol.LabelMac1));
        Assert.Equal(8, Encoding.ASCII.GetByteCount(NoiseProtocol.LabelCookie));
    }
}
