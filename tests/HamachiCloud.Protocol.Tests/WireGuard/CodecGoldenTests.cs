using HamachiCloud.Protocol.WireGuard;

namespace HamachiCloud.Protocol.Tests.WireGuard;

public sealed class CodecGoldenTests
{
    // Hand-built from the layouts in docs/protocol.md: type + reserved, then little-endian indices.
    private static readonly string InitiationHex =
        "01000000" + "01020304" + Hex.Repeat("aa", 32) + Hex.Repeat("bb", 48) + Hex.Repeat("cc", 28) + Hex.Repeat("dd", 16) + Hex.Repeat("ee", 16);

    private static readonly string ResponseHex =
        "02000000" + "78563412" + "efbeadde" + Hex.Repeat("aa", 32) + Hex.Repeat("bb", 16) + Hex.Repeat("dd", 16) + Hex.Repeat("ee", 16);

    private static readonly string CookieReplyHex = "03000000" + "2a000000" + Hex.Repeat("11", 24) + Hex.Repeat("22", 32);

    private static readonly string TransportHeaderHex = "04000000" + "01000000" + "0807060504030201";

    [Fact]
    public void Initiation_writes_and_parses_golden_bytes()
    {
        var golden = Hex.Parse(InitiationHex);
        Assert.Equal(148, golden.Length);

        var message = new HandshakeInitiation(0x04030201, Fill(0xaa, 32), Fill(0xbb, 48), Fill(0xcc, 28), Fill(0xdd, 16), Fill(0xee, 16));
        var buffer = new byte[200];
        Assert.True(message.TryWrite(buffer, out var written));
        Assert.Equal(InitiationHex, Hex.Format(buffer.AsSpan(0, written)));

        Assert.True(HandshakeInitiation.TryParse(golden, out var parsed));
        Assert.Equal(0x04030201u, parsed.SenderIndex);
        Assert.Equal(Fill(0xaa, 32), parsed.Ephemeral.ToArray());
        Assert.Equal(Fill(0xbb, 48), parsed.EncryptedStatic.ToArray());
        Assert.Equal(Fill(0xcc, 28), parsed.EncryptedTimestamp.ToArray());
        Assert.Equal(Fill(0xdd, 16), parsed.Mac1.ToArray());
        Assert.Equal(Fill(0xee, 16), parsed.Mac2.ToArray());
    }

    [Fact]
    public void Response_writes_and_parses_golden_bytes()
    {
        var golden = Hex.Parse(ResponseHex);
        Assert.Equal(92, golden.Length);

        var message = new HandshakeResponse(0x12345678, 0xdeadbeef, Fill(0xaa, 32), Fill(0xbb, 16), Fill(0xdd, 16), Fill(0xee, 16));
        var buffer = new byte[92];
        Assert.True(message.TryWrite(buffer, out var written));
        Assert.Equal(ResponseHex, Hex.Format(buffer.AsSpan(0, written)));

        Assert.True(HandshakeResponse.TryParse(golden, out var parsed));
        Assert.Equal(0x12345678u, parsed.SenderIndex);
        Assert.Equal(0xdeadbeefu, parsed.ReceiverIndex);
        Assert.Equal(Fill(0xaa, 32), parsed.Ephemeral.ToArray());
        Assert.Equal(Fill(0xbb, 16), parsed.EncryptedNothing.ToArray());
        Assert.Equal(Fill(0xdd, 16), parsed.Mac1.ToArray());
        Assert.Equal(Fill(0xee, 16), parsed.Mac2.ToArray());
    }

    [Fact]
    public void Cookie_reply_writes_and_parses_golden_bytes()
    {
        var golden = Hex.Parse(CookieReplyHex);
        Assert.Equal(64, golden.Length);

        var buffer = new byte[64];
        Assert.True(new CookieReply(42, Fill(0x11, 24), Fill(0x22, 32)).TryWrite(buffer, out var written));
        Assert.Equal(CookieReplyHex, Hex.Format(buffer.AsSpan(0, written)));

        Assert.True(CookieReply.TryParse(golden, out var parsed));
        Assert.Equal(42u, parsed.ReceiverIndex);
        Assert.Equal(Fill(0x11, 24), parsed.Nonce.ToArray());
        Assert.Equal(Fill(0x22, 32), parsed.EncryptedCookie.ToArray());
    }

    [Fact]
    public void Transport_header_writes_and_parses_golden_bytes()
    {
        var buffer = new byte[16];
        Assert.True(new TransportHeader(1, 0x0102030405060708).TryWrite(buffer, out var written));
        Assert.Equal(16, written);
        Assert.Equal(TransportHeaderHex, Hex.Format(buffer));

        var message = Hex.Parse(TransportHeaderHex + Hex.Repeat("00", 16));
        Assert.True(TransportHeader.TryParse(message, out var parsed));
        Assert.Equal(new TransportHeader(1, 0x0102030405060708), parsed);
        Assert.False(TransportHeader.TryParse(message.AsSpan(0, 31), out _));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 16)]
    [InlineData(16, 16)]
    [InlineData(17, 32)]
    [InlineData(1420, 1424)]
    public void Transport_payload_is_padded_to_a_multiple_of_16(int length, int padded) =>
        Assert.Equal(padded, TransportHeader.PaddedLength(length));

    [Fact]
    public void Random_values_round_trip_through_every_codec()
    {
        var random = new DeterministicRandom(2024);
        for (var i = 0; i < 500; i++)
        {
            var a = random.Bytes(148);
            var sender = (uint)random.NextUInt64();
            var initiation = new HandshakeInitiation(sender, a.AsSpan(0, 32), a.AsSpan(32, 48), a.AsSpan(80, 28), a.AsSpan(108, 16), a.AsSpan(124, 16));
            var buffer = new byte[148];
            Assert.True(initiation.TryWrite(buffer, out _));
            Assert.True(HandshakeInitiation.TryParse(buffer, out var back));
            Assert.Equal(sender, back.SenderIndex);
            Assert.True(back.EncryptedTimestamp.SequenceEqual(a.AsSpan(80, 28)));
            var again = new byte[148];
            Assert.True(back.TryWrite(again, out _));
            Assert.Equal(buffer, again);

            var receiver = (uint)random.NextUInt64();
            var response = new HandshakeResponse(sender, receiver, a.AsSpan(0, 32), a.AsSpan(32, 16), a.AsSpan(48, 16), a.AsSpan(64, 16));
            var responseBytes = new byte[92];
            Assert.True(response.TryWrite(responseBytes, out _));
            Assert.True(HandshakeResponse.TryParse(responseBytes, out var responseBack));
            Assert.Equal((sender, receiver), (responseBack.SenderIndex, responseBack.ReceiverIndex));
            Assert.True(responseBack.Mac2.SequenceEqual(a.AsSpan(64, 16)));

            var cookieBytes = new byte[64];
            Assert.True(new CookieReply(receiver, a.AsSpan(0, 24), a.AsSpan(24, 32)).TryWrite(cookieBytes, out _));
            Assert.True(CookieReply.TryParse(cookieBytes, out var cookieBack));
            Assert.Equal(receiver, cookieBack.ReceiverIndex);
            Assert.True(cookieBack.EncryptedCookie.SequenceEqual(a.AsSpan(24, 32)));

            var header = new TransportHeader(receiver, random.NextUInt64());
            var transport = new byte[32];
            Assert.True(header.TryWrite(transport, out _));
            Assert.True(TransportHeader.TryParse(transport, out var headerBack));
            Assert.Equal(header, headerBack);
        }
    }

    [Fact]
    public void Parsers_reject_wrong_length_type_and_reserved_bytes()
    {
        var initiation = Hex.Parse(InitiationHex);
        Assert.False(HandshakeInitiation.TryParse(initiation.AsSpan(0, 147), out _));
        Assert.False(HandshakeInitiation.TryParse([.. initiation, 0], out _));
        initiation[1] = 1;
        Assert.False(HandshakeInitiation.TryParse(initiation, out _));
        initiation[1] = 0;
        initiation[0] = 2;
        Assert.False(HandshakeInitiation.TryParse(initiation, out _));

        Assert.False(HandshakeResponse.TryParse(Hex.Parse(ResponseHex).AsSpan(0, 91), out _));
        Assert.False(CookieReply.TryParse(Hex.Parse(CookieReplyHex).AsSpan(0, 63), out _));
        Assert.False(TransportHeader.TryParse(Hex.Parse("04000100" + "01000000" + "0807060504030201" + Hex.Repeat("00", 16)), out _));
    }

    [Fact]
    public void Writers_refuse_short_destinations()
    {
        var message = new HandshakeInitiation(1, Fill(0, 32), Fill(0, 48), Fill(0, 28), Fill(0, 16), Fill(0, 16));
        Assert.False(message.TryWrite(new byte[147], out var written));
        Assert.Equal(0, written);
        Assert.False(new TransportHeader(1, 1).TryWrite(new byte[15], out _));
        Assert.False(new CookieReply(1, Fill(0, 24), Fill(0, 32)).TryWrite(new byte[63], out _));
    }

    [Fact]
    public void Classifier_accepts_exact_lengths_and_rejects_everything_else()
    {
        Assert.Equal(MessageType.HandshakeInitiation, DatagramClassifier.Classify(Hex.Parse(InitiationHex)));
        Assert.Equal(MessageType.HandshakeResponse, DatagramClassifier.Classify(Hex.Parse(ResponseHex)));
        Assert.Equal(MessageType.CookieReply, DatagramClassifier.Classify(Hex.Parse(CookieReplyHex)));
        Assert.Equal(MessageType.TransportData, DatagramClassifier.Classify(Hex.Parse(TransportHeaderHex + Hex.Repeat("00", 16))));
        Assert.Equal(MessageType.TransportData, DatagramClassifier.Classify(Hex.Parse(TransportHeaderHex + Hex.Repeat("00", 1400))));

        Assert.Equal(MessageType.Unknown, DatagramClassifier.Classify([]));
        Assert.Equal(MessageType.Unknown, DatagramClassifier.Classify([1, 0, 0]));
        Assert.Equal(MessageType.Unknown, DatagramClassifier.Classify(Hex.Parse(InitiationHex).AsSpan(0, 147)));
        Assert.Equal(MessageType.Unknown, DatagramClassifier.Classify(Hex.Parse(ResponseHex + "00")));
        Assert.Equal(MessageType.Unknown, DatagramClassifier.Classify(Hex.Parse(TransportHeaderHex + Hex.Repeat("00", 15))));
        Assert.Equal(MessageType.Unknown, DatagramClassifier.Classify(Hex.Parse("05000000" + Hex.Repeat("00", 60))));
        Assert.Equal(MessageType.Unknown, DatagramClassifier.Classify(Hex.Parse("01000001" + Hex.Repeat("00", 144))));
        // A STUN binding request (magic cookie 0x2112A442) is not WireGuard.
        Assert.Equal(MessageType.Unknown, DatagramClassifier.Classify(Hex.Parse("00010000" + "2112a442" + Hex.Repeat("00", 12))));
    }

    private static byte[] Fill(byte value, int count) => Enumerable.Repeat(value, count).ToArray();
}
