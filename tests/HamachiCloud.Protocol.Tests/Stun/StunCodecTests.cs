using System.Net;
using HamachiCloud.Protocol.Stun;

namespace HamachiCloud.Protocol.Tests.Stun;

public sealed class StunCodecTests
{
    // RFC 5769 §2.2: sample IPv4 response (SOFTWARE "test vector", XOR-MAPPED-ADDRESS 192.0.2.1:32853,
    // MESSAGE-INTEGRITY, FINGERPRINT).
    private const string Rfc5769IPv4Response =
        "0101003c 2112a442 b7e7a701bc34d686fa87dfae" +
        "8022000b 74657374 20766563 746f7220" +
        "00200008 0001a147 e112a643" +
        "00080014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7" +
        "80280004 c07d4c96";

    // RFC 5769 §2.3: sample IPv6 response (XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853).
    private const string Rfc5769IPv6Response =
        "01010048 2112a442 b7e7a701bc34d686fa87dfae" +
        "8022000b 74657374 20766563 746f7220" +
        "00200014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9" +
        "00080014 a382954e 4be67bf1 1784c97c 8292c275 bfe3ed41" +
        "80280004 c8fb0b4c";

    private static readonly StunTransactionId VectorId = StunTransactionId.FromBytes(Hex.Parse("b7e7a701bc34d686fa87dfae"));

    [Fact]
    public void Rfc5769_ipv4_response_gives_the_xor_mapped_address_and_a_valid_fingerprint()
    {
        Assert.True(StunMessage.TryParse(Hex.Parse(Rfc5769IPv4Response), out var message));
        Assert.NotNull(message);
        Assert.Equal(StunMessageType.BindingSuccess, message.Type);
        Assert.True(message.HasMagicCookie);
        Assert.Equal(VectorId, message.TransactionId);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), message.XorMappedAddress);
        Assert.Equal("test vector", message.Software); // length 11; the twelfth byte is padding
        Assert.True(message.Fingerprint);
        Assert.Empty(message.UnknownAttributes);

        Assert.True(StunBinding.TryParseResponse(Hex.Parse(Rfc5769IPv4Response), out var response));
        Assert.True(response.IsSuccess);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), response.Mapped);
    }

    [Fact]
    public void Rfc5769_ipv6_response_gives_the_xor_mapped_address_and_a_valid_fingerprint()
    {
        Assert.True(StunMessage.TryParse(Hex.Parse(Rfc5769IPv6Response), out var message));
        Assert.NotNull(message);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), message.XorMappedAddress);
        Assert.True(message.Fingerprint);
    }

    [Fact]
    public void Xor_mapped_address_encodes_like_rfc5769()
    {
        // Same transaction id and address as the vectors: the attribute bytes must match theirs.
        var message = new StunMessage
        {
            Type = StunMessageType.BindingSuccess,
            TransactionId = VectorId,
            XorMappedAddress = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853),
        };
        var buffer = new byte[64];
        Assert.True(message.TryWrite(buffer, out var written));
        Assert.Equal(Hex.Format(Hex.Parse("0101000c 2112a442 b7e7a701bc34d686fa87dfae 00200008 0001a147 e112a643")), Hex.Format(buffer.AsSpan(0, written)));

        var v6 = new StunMessage
        {
            Type = StunMessageType.BindingSuccess,
            TransactionId = VectorId,
            XorMappedAddress = new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853),
        };
        Assert.True(v6.TryWrite(buffer, out written));
        Assert.EndsWith("00200014" + "0002a147" + "0113a9faa5d3f179bc25f4b5bed2b9d9", Hex.Format(buffer.AsSpan(0, written)), StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_we_write_matches_rfc5769_when_the_message_is_the_same()
    {
        // The IPv4 vector without its MESSAGE-INTEGRITY is a different message, so recompute the vector's own
        // CRC instead: the CRC over everything before FINGERPRINT, xor 0x5354554e, must equal c07d4c96.
        var vector = Hex.Parse(Rfc5769IPv4Response);
        Assert.Equal(0xc07d4c96u, Crc32.Compute(vector.AsSpan(0, vector.Length - 8)) ^ 0x5354554eu);
    }

    [Fact]
    public void Binding_request_with_change_request_has_golden_bytes()
    {
        var buffer = new byte[64];
        Assert.True(StunBinding.TryWriteRequest(buffer, VectorId, StunChangeRequest.ChangeIp | StunChangeRequest.ChangePort, out var written));
        var hex = Hex.Format(buffer.AsSpan(0, written));
        Assert.Equal(36, written);
        Assert.StartsWith("00010010" + "2112a442" + "b7e7a701bc34d686fa87dfae" + "00030004" + "00000006" + "80280004", hex, StringComparison.Ordinal);
        Assert.True(StunMessage.TryParse(buffer.AsSpan(0, written), out var parsed));
        Assert.Equal(StunChangeRequest.ChangeIp | StunChangeRequest.ChangePort, parsed!.ChangeRequest);
        Assert.True(parsed.Fingerprint);

        Assert.True(StunBinding.TryWriteRequest(buffer, VectorId, StunChangeRequest.None, out written));
        Assert.Equal(28, written);
        Assert.True(StunMessage.LooksLikeStun(buffer.AsSpan(0, written)));
    }

    [Fact]
    public void Full_response_round_trips_with_every_address_attribute()
    {
        var message = new StunMessage
        {
            Type = StunMessageType.BindingSuccess,
            TransactionId = VectorId,
            XorMappedAddress = new IPEndPoint(IPAddress.Parse("198.51.100.7"), 40000),
            MappedAddress = new IPEndPoint(IPAddress.Parse("198.51.100.7"), 40000),
            ResponseOrigin = new IPEndPoint(IPAddress.Parse("192.0.2.10"), 3478),
            OtherAddress = new IPEndPoint(IPAddress.Parse("192.0.2.11"), 3479),
            SourceAddress = new IPEndPoint(IPAddress.Parse("192.0.2.10"), 3478),
            ChangedAddress = new IPEndPoint(IPAddress.Parse("192.0.2.11"), 3479),
            Software = "hamachi-relay",
            Fingerprint = true,
        };
        var buffer = new byte[StunMessage.MaxSize];
        Assert.True(message.TryWrite(buffer, out var written));
        Assert.True(StunMessage.TryParse(buffer.AsSpan(0, written), out var parsed));
        Assert.Equal(message.XorMappedAddress, parsed!.XorMappedAddress);
        Assert.Equal(message.MappedAddress, parsed.MappedAddress);
        Assert.Equal(message.ResponseOrigin, parsed.ResponseOrigin);
        Assert.Equal(message.OtherAddress, parsed.OtherAddress);
        Assert.Equal(message.SourceAddress, parsed.SourceAddress);
        Assert.Equal(message.ChangedAddress, parsed.ChangedAddress);
        Assert.Equal("hamachi-relay", parsed.Software);
        Assert.True(parsed.Fingerprint);

        Assert.True(StunBinding.TryParseResponse(buffer.AsSpan(0, written), out var response));
        Assert.Equal(message.ResponseOrigin, response.Origin);
        Assert.Equal(message.OtherAddress, response.Other);
    }

    [Fact]
    public void Error_response_round_trips_with_unknown_attributes()
    {
        var message = new StunMessage
        {
            Type = StunMessageType.BindingError,
            TransactionId = VectorId,
            ErrorCode = 420,
            ErrorReason = "Unknown Attribute",
            UnknownAttributes = [0x7777],
        };
        var buffer = new byte[128];
        Assert.True(message.TryWrite(buffer, out var written));
        Assert.Contains("00090015" + "00000414", Hex.Format(buffer.AsSpan(0, written)), StringComparison.Ordinal);
        Assert.True(StunBinding.TryParseResponse(buffer.AsSpan(0, written), out var response));
        Assert.False(response.IsSuccess);
        Assert.Equal(420, response.ErrorCode);
        Assert.Equal("Unknown Attribute", response.ErrorReason);
    }

    [Fact]
    public void Unknown_comprehension_required_attributes_are_reported_and_optional_ones_ignored()
    {
        var datagram = Hex.Parse("00010010 2112a442 b7e7a701bc34d686fa87dfae 77770004 01020304 c0000004 01020304");
        Assert.True(StunMessage.TryParse(datagram, out var message));
        Assert.Equal([(ushort)0x7777], message!.UnknownAttributes);
    }

    [Fact]
    public void Rfc3489_request_without_magic_cookie_parses_and_is_not_rfc8489()
    {
        var datagram = Hex.Parse("00010008 0102030405060708090a0b0c0d0e0f10 00030004 00000002");
        Assert.False(StunMessage.LooksLikeStun(datagram));
        Assert.True(StunMessage.TryParse(datagram, out var message));
        Assert.False(message!.HasMagicCookie);
        Assert.Equal(0x01020304u, message.Cookie);
        Assert.Equal(StunChangeRequest.ChangePort, message.ChangeRequest);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0001000021")] // short header
    [InlineData("c0010000 2112a442 b7e7a701bc34d686fa87dfae")] // top bits set
    [InlineData("00010004 2112a442 b7e7a701bc34d686fa87dfae")] // length beyond datagram
    [InlineData("00010003 2112a442 b7e7a701bc34d686fa87dfae 000000")] // length not a multiple of 4
    [InlineData("00010008 2112a442 b7e7a701bc34d686fa87dfae 00200008 0001a147")] // attribute overruns
    [InlineData("0101000c 2112a442 b7e7a701bc34d686fa87dfae 00200008 0003a147 e112a643")] // bad family
    [InlineData("01010008 2112a442 b7e7a701bc34d686fa87dfae 00200004 0001a147")] // address too short
    [InlineData("00010008 2112a442 b7e7a701bc34d686fa87dfae 80280004 00000000")] // wrong fingerprint
    [InlineData("00010008 2112a442 b7e7a701bc34d686fa87dfae 00030003 00000000")] // change-request length 3
    public void Malformed_messages_are_rejected(string hex)
    {
        Assert.False(StunMessage.TryParse(Hex.Parse(hex), out var message));
        Assert.Null(message);
    }

    [Fact]
    public void Fingerprint_must_be_last()
    {
        var buffer = new byte[64];
        Assert.True(StunBinding.TryWriteRequest(buffer, VectorId, StunChangeRequest.None, out var written));
        var extended = buffer.AsSpan(0, written).ToArray().Concat(Hex.Parse("80220004 41424344")).ToArray();
        extended[3] += 8;
        Assert.False(StunMessage.TryParse(extended, out _));
    }

    [Fact]
    public void Random_and_mutated_bytes_never_throw()
    {
        var random = new DeterministicRandom(5769);
        var valid = Hex.Parse(Rfc5769IPv4Response);
        var buffer = new byte[200];
        var accepted = 0;
        for (var i = 0; i < 20000; i++)
        {
            var length = random.Next(buffer.Length);
            var span = buffer.AsSpan(0, length);
            if (i % 2 == 0)
            {
                random.GetBytes(span);
                if (length >= 20)
                {
                    span[0] &= 0x3f;
                    span[2] = 0;
                    span[3] = (byte)((length - 20) & ~3);
                }
            }
            else
            {
                span = buffer.AsSpan(0, valid.Length);
                valid.CopyTo(span);
                span[random.Next(valid.Length)] ^= (byte)(1 + random.Next(255));
            }

            if (StunMessage.TryParse(span, out var message))
            {
                accepted++;
                Assert.NotNull(message);
            }

            _ = StunBinding.TryParseResponse(span, out _);
        }

        Assert.True(accepted > 0, "some mutated messages should still parse");
    }
}
