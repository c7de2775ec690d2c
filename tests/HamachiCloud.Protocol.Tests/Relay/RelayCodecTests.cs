using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Relay;

namespace HamachiCloud.Protocol.Tests.Relay;

public sealed class RelayCodecTests
{
    private static readonly Guid RelayId = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
    private static readonly NodeKey From = NodeKey.FromBytes(Enumerable.Repeat((byte)0xaa, 32).ToArray());
    private static readonly NodeKey To = NodeKey.FromBytes(Enumerable.Repeat((byte)0xbb, 32).ToArray());

    private static SigningKey Issuer() => SigningKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void Token_has_the_documented_layout_and_verifies()
    {
        using var key = Issuer();
        var token = new RelayToken(RelayId, From, To, DateTimeOffset.FromUnixTimeSeconds(0x01020304), 10_000_000);
        var bytes = token.ToBytes(key);

        Assert.Equal(161, bytes.Length);
        var expectedBody = "01" + "00112233445566778899aabbccddeeff" + Hex.Repeat("aa", 32) + Hex.Repeat("bb", 32)
            + "0000000001020304" + "0000000000989680";
        Assert.Equal(expectedBody, Hex.Format(bytes.AsSpan(0, 97)));

        // The signature is Ed25519 over the context string and the body, checked with the plain public key.
        var signed = "hamachi relay token v1"u8.ToArray().Concat(bytes.Take(97)).ToArray();
        Assert.True(key.PublicKey.Verify(signed, bytes.AsSpan(97)));

        Assert.Equal(RelayTokenStatus.Valid, RelayToken.TryVerify(bytes, key.PublicKey, out var parsed));
        Assert.Equal(token, parsed);
    }

    [Fact]
    public void Token_with_a_flipped_bit_or_another_issuer_fails_verification()
    {
        using var key = Issuer();
        using var other = SigningKey.Generate();
        var bytes = new RelayToken(RelayId, From, To, DateTimeOffset.FromUnixTimeSeconds(1_900_000_000), 0).ToBytes(key);

        Assert.Equal(RelayTokenStatus.BadSignature, RelayToken.TryVerify(bytes, other.PublicKey, out _));
        for (var i = 1; i < bytes.Length; i += 7)
        {
            var copy = (byte[])bytes.Clone();
            copy[i] ^= 0x01;
            Assert.NotEqual(RelayTokenStatus.Valid, RelayToken.TryVerify(copy, key.PublicKey, out var parsed));
            Assert.Null(parsed);
        }
    }

    [Fact]
    public void Token_with_wrong_length_or_version_is_malformed()
    {
        using var key = Issuer();
        var bytes = new RelayToken(RelayId, From, To, DateTimeOffset.FromUnixTimeSeconds(1_900_000_000), 0).ToBytes(key);
        Assert.Equal(RelayTokenStatus.Malformed, RelayToken.TryVerify(bytes.AsSpan(0, 160), key.PublicKey, out _));
        Assert.Equal(RelayTokenStatus.Malformed, RelayToken.TryVerify([], key.PublicKey, out _));
        bytes[0] = 2;
        Assert.Equal(RelayTokenStatus.Malformed, RelayToken.TryVerify(bytes, key.PublicKey, out _));
    }

    [Fact]
    public void Frames_have_golden_bytes_and_round_trip()
    {
        var buffer = new byte[300];
        var token = Enumerable.Repeat((byte)0x11, RelayToken.Size).ToArray();

        Assert.True(RelayFrame.TryWriteBind(buffer, token, out var written));
        Assert.Equal("48435201" + Hex.Repeat("11", 161), Hex.Format(buffer.AsSpan(0, written)));
        Assert.True(RelayFrame.TryParse(buffer.AsSpan(0, written), out var bind));
        Assert.Equal(RelayFrameType.Bind, bind.Type);
        Assert.Equal(token, bind.Token.ToArray());

        Assert.True(RelayFrame.TryWriteBindOk(buffer, To.Bytes, 0x0102030405, out written));
        Assert.Equal("48435202" + Hex.Repeat("bb", 32) + "0000000102030405", Hex.Format(buffer.AsSpan(0, written)));
        Assert.True(RelayFrame.TryParse(buffer.AsSpan(0, written), out var ok));
        Assert.Equal(0x0102030405, ok.ExpiresAtUnixSeconds);
        Assert.Equal(To.Bytes.ToArray(), ok.Key.ToArray());

        Assert.True(RelayFrame.TryWriteSend(buffer, To.Bytes, [0x04, 0, 0, 0, 9], out written));
        Assert.Equal("48435203" + Hex.Repeat("bb", 32) + "0400000009", Hex.Format(buffer.AsSpan(0, written)));
        Assert.True(RelayFrame.TryParse(buffer.AsSpan(0, written), out var send));
        Assert.Equal(RelayFrameType.Send, send.Type);
        Assert.Equal(new byte[] { 4, 0, 0, 0, 9 }, send.Payload.ToArray());

        Assert.True(RelayFrame.TryWriteRecv(buffer, From.Bytes, [0x01], out written));
        Assert.Equal("48435204" + Hex.Repeat("aa", 32) + "01", Hex.Format(buffer.AsSpan(0, written)));
        Assert.True(RelayFrame.TryParse(buffer.AsSpan(0, written), out var recv));
        Assert.Equal(From.Bytes.ToArray(), recv.Key.ToArray());

        Assert.True(RelayFrame.TryWriteRefused(buffer, RelayRefusal.WrongRelay, default, out written));
        Assert.Equal("4843520504" + Hex.Repeat("00", 32), Hex.Format(buffer.AsSpan(0, written)));
        Assert.True(RelayFrame.TryParse(buffer.AsSpan(0, written), out var refused));
        Assert.Equal(RelayRefusal.WrongRelay, refused.Reason);

        Assert.True(RelayFrame.TryWriteRefused(buffer, RelayRefusal.BadProof, To.Bytes, out written));
        Assert.Equal("4843520507" + Hex.Repeat("bb", 32), Hex.Format(buffer.AsSpan(0, written)));
        Assert.True(RelayFrame.TryParse(buffer.AsSpan(0, written), out refused));
        Assert.Equal(RelayRefusal.BadProof, refused.Reason);

        var relayKey = Enumerable.Repeat((byte)0xcc, 32).ToArray();
        var cookie = Hex.Parse("0000019a2b3c4d5e" + Hex.Repeat("dd", 16));
        Assert.True(RelayFrame.TryWriteChallenge(buffer, To.Bytes, relayKey, cookie, out written));
        Assert.Equal("48435206" + Hex.Repeat("bb", 32) + Hex.Repeat("cc", 32) + "0000019a2b3c4d5e" + Hex.Repeat("dd", 16), Hex.Format(buffer.AsSpan(0, written)));
        Assert.Equal(RelayFrame.ChallengeSize, written);
        Assert.True(RelayFrame.TryParse(buffer.AsSpan(0, written), out var challenge));
        Assert.Equal(RelayFrameType.Challenge, challenge.Type);
        Assert.Equal(To.Bytes.ToArray(), challenge.Key.ToArray());
        Assert.Equal(relayKey, challenge.RelayKey.ToArray());
        Assert.Equal(cookie, challenge.Cookie.ToArray());

        var proof = Enumerable.Repeat((byte)0xee, 16).ToArray();
        Assert.True(RelayFrame.TryWriteBindProof(buffer, token, cookie, proof, out written));
        Assert.Equal("48435207" + Hex.Repeat("11", 161) + "0000019a2b3c4d5e" + Hex.Repeat("dd", 16) + Hex.Repeat("ee", 16), Hex.Format(buffer.AsSpan(0, written)));
        Assert.Equal(RelayFrame.BindProofSize, written);
        Assert.True(RelayFrame.TryParse(buffer.AsSpan(0, written), out var bindProof));
        Assert.Equal(RelayFrameType.BindProof, bindProof.Type);
        Assert.Equal(token, bindProof.Token.ToArray());
        Assert.Equal(cookie, bindProof.Cookie.ToArray());
        Assert.Equal(proof, bindProof.Proof.ToArray());
    }

    [Fact]
    public void Bind_proof_is_the_documented_hmac_and_only_the_node_keys_owner_and_the_relay_agree_on_it()
    {
        using var random = new DeterministicRandom(7);
        using var node = NodePrivateKey.Generate(random);
        using var relay = NodePrivateKey.Generate(random);
        using var stranger = NodePrivateKey.Generate(random);
        var token = Enumerable.Repeat((byte)0x11, RelayToken.Size).ToArray();
        var cookie = Hex.Parse("0000019a2b3c4d5e" + Hex.Repeat("dd", 16));

        var agentKey = new byte[RelayBindProof.KeySize];
        var relayKey = new byte[RelayBindProof.KeySize];
        Assert.True(RelayBindProof.TryDeriveAgentKey(node, relay.PublicKey.Bytes, agentKey));
        Assert.True(RelayBindProof.TryDeriveRelayKey(relay, node.PublicKey.Bytes, relayKey));
        Assert.Equal(agentKey, relayKey);

        // k = HMAC-SHA256(X25519 shared secret, label | nodeKey | relayKey); proof = HMAC-SHA256(k, cookie | token)[..16].
        var shared = new byte[32];
        Assert.True(node.TryAgree(relay.PublicKey.Bytes, shared));
        byte[] info = [.. "hamachi relay bind v1"u8, .. node.PublicKey.Bytes, .. relay.PublicKey.Bytes];
        var expectedKey = System.Security.Cryptography.HMACSHA256.HashData(shared, info);
        Assert.Equal(expectedKey, agentKey);
        var proof = new byte[RelayBindProof.ProofSize];
        RelayBindProof.Compute(agentKey, cookie, token, proof);
        byte[] message = [.. cookie, .. token];
        Assert.Equal(System.Security.Cryptography.HMACSHA256.HashData(expectedKey, message)[..16], proof);
        Assert.True(RelayBindProof.Verify(relayKey, cookie, token, proof));

        // Another key pair (an attacker's own key against the relay), another cookie or token: no match.
        var strangerKey = new byte[RelayBindProof.KeySize];
        Assert.True(RelayBindProof.TryDeriveAgentKey(stranger, relay.PublicKey.Bytes, strangerKey));
        var forged = new byte[RelayBindProof.ProofSize];
        RelayBindProof.Compute(strangerKey, cookie, token, forged);
        Assert.False(RelayBindProof.Verify(relayKey, cookie, token, forged));
        var otherCookie = (byte[])cookie.Clone();
        otherCookie[0] ^= 1;
        Assert.False(RelayBindProof.Verify(relayKey, otherCookie, token, proof));
        var otherToken = (byte[])token.Clone();
        otherToken[^1] ^= 1;
        Assert.False(RelayBindProof.Verify(relayKey, cookie, otherToken, proof));

        // A low-order relay key (all zero) gives no key at all.
        Assert.False(RelayBindProof.TryDeriveAgentKey(node, new byte[32], agentKey));
    }

    [Theory]
    [InlineData("")]
    [InlineData("484352")] // header only
    [InlineData("48435101")] // wrong magic
    [InlineData("48435209")] // unknown type
    [InlineData("4843520111")] // bind too short
    [InlineData("48435203" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")] // send without payload
    [InlineData("4843520508" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")] // unknown refusal reason
    [InlineData("48435206" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")] // challenge without relay key and cookie
    [InlineData("48435207" + "11111111111111111111111111111111")] // bind proof without token
    public void Malformed_frames_are_rejected(string hex)
    {
        Assert.False(RelayFrame.TryParse(Hex.Parse(hex), out _));
    }

    [Fact]
    public void Random_frames_never_throw()
    {
        var random = new DeterministicRandom(161);
        var buffer = new byte[400];
        for (var i = 0; i < 20000; i++)
        {
            var span = buffer.AsSpan(0, random.Next(buffer.Length));
            random.GetBytes(span);
            if (span.Length >= 4)
            {
                "HCR"u8.CopyTo(span);
                span[3] = (byte)(1 + random.Next(8));
            }

            if (RelayFrame.TryParse(span, out var frame) && frame.Type == RelayFrameType.Bind)
            {
                using var key = SigningKey.Generate();
                RelayToken.TryVerify(frame.Token, key.PublicKey, out _);
            }
        }
    }
}
