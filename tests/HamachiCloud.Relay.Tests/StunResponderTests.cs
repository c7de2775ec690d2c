using System.Net;
using HamachiCloud.Protocol.Stun;
using HamachiCloud.Relay.Stun;

namespace HamachiCloud.Relay.Tests;

public sealed class StunResponderTests
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress B = IPAddress.Parse("192.0.2.11");
    private static readonly IPEndPoint Client = IPEndPoint.Parse("198.51.100.7:40000");
    private static readonly StunTransactionId Id = new(0x0102030405060708, 0x090a0b0c);

    private static byte[] Request(StunChangeRequest change)
    {
        var buffer = new byte[64];
        Assert.True(StunBinding.TryWriteRequest(buffer, Id, change, out var n));
        return buffer[..n];
    }

    [Fact]
    public void Rfc5780_answer_names_mapped_origin_and_other_and_change_request_picks_the_socket()
    {
        var responder = new StunResponder(new StunSockets(A, 3478, B, 3479));
        var output = new byte[StunMessage.MaxSize];
        Assert.True(responder.TryAnswer(0, Client, Request(StunChangeRequest.None), output, out var n, out var from));
        Assert.Equal(0, from);
        Assert.True(StunBinding.TryParseResponse(output.AsSpan(0, n), out var r));
        Assert.Equal(Client, r.Mapped);
        Assert.Equal(new IPEndPoint(A, 3478), r.Origin);
        Assert.Equal(new IPEndPoint(B, 3479), r.Other);
        Assert.Equal(Id, r.TransactionId);

        Assert.True(responder.TryAnswer(0, Client, Request(StunChangeRequest.ChangeIp | StunChangeRequest.ChangePort), output, out n, out from));
        Assert.Equal(3, from); // B:3479
        Assert.True(StunBinding.TryParseResponse(output.AsSpan(0, n), out r));
        Assert.Equal(new IPEndPoint(B, 3479), r.Origin);

        Assert.True(responder.TryAnswer(0, Client, Request(StunChangeRequest.ChangePort), output, out _, out from));
        Assert.Equal(1, from); // A:3479
    }

    [Fact]
    public void Rfc3489_request_gets_source_and_changed_address_and_no_xor()
    {
        var responder = new StunResponder(new StunSockets(A, 3478, B, 3479));
        var request = Convert.FromHexString("000100000102030405060708090a0b0c0d0e0f10");
        var output = new byte[StunMessage.MaxSize];
        Assert.True(responder.TryAnswer(2, Client, request, output, out var n, out var from));
        Assert.Equal(2, from);
        Assert.True(StunMessage.TryParse(output.AsSpan(0, n), out var message));
        Assert.Equal(request[4..20], output[4..20]); // the whole 128-bit id echoed
        Assert.Equal(Client, message!.MappedAddress);
        Assert.Null(message.XorMappedAddress);
        Assert.Equal(new IPEndPoint(B, 3478), message.SourceAddress);
        Assert.Equal(new IPEndPoint(A, 3479), message.ChangedAddress);
    }

    [Fact]
    public void Change_request_without_an_alternate_and_unknown_attributes_get_420_and_non_requests_nothing()
    {
        var responder = new StunResponder(new StunSockets(A, 3478, null, 0));
        var output = new byte[StunMessage.MaxSize];
        Assert.True(responder.TryAnswer(0, Client, Request(StunChangeRequest.ChangeIp), output, out var n, out _));
        Assert.True(StunBinding.TryParseResponse(output.AsSpan(0, n), out var r));
        Assert.Equal(420, r.ErrorCode);

        var unknown = Convert.FromHexString("000100082112a442" + "0102030405060708090a0b0c" + "7777000401020304");
        Assert.True(responder.TryAnswer(0, Client, unknown, output, out n, out _));
        Assert.True(StunMessage.TryParse(output.AsSpan(0, n), out var error));
        Assert.Equal(420, error!.ErrorCode);
        Assert.Contains("000a00027777", Convert.ToHexStringLower(output.AsSpan(0, n)), StringComparison.Ordinal); // UNKNOWN-ATTRIBUTES lists it

        var response = output[..n];
        Assert.False(responder.TryAnswer(0, Client, response, output, out _, out _)); // never answer an answer
        Assert.False(responder.TryAnswer(0, Client, [1, 2, 3], output, out _, out _));
    }
}
