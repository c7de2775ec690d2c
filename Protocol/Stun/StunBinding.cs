using System.Net;

namespace HamachiCloud.Protocol.Stun;

/// <summary>Client side of a STUN Binding transaction: build the request, read the answer. Pure and thread-safe.</summary>
public static class StunBinding
{
    /// <summary>
    /// Writes a Binding request (RFC 8489, magic cookie) with an optional CHANGE-REQUEST (RFC 5780) and a
    /// FINGERPRINT. 20 bytes + 8 for CHANGE-REQUEST + 8 for FINGERPRINT.
    /// </summary>
    public static bool TryWriteRequest(Span<byte> destination, StunTransactionId transactionId, StunChangeRequest change, out int written) =>
        new StunMessage
        {
            Type = StunMessageType.BindingRequest,
            TransactionId = transactionId,
            ChangeRequest = change == StunChangeRequest.None ? null : change,
            Fingerprint = true,
        }.TryWrite(destination, out written);

    /// <summary>
    /// Reads a Binding success or error response. False when the datagram is not a well-formed Binding response
    /// (a request, another method, malformed, or a success response without any mapped address).
    /// </summary>
    public static bool TryParseResponse(ReadOnlySpan<byte> datagram, out StunBindingResponse response)
    {
        response = default;
        if (!StunMessage.TryParse(datagram, out var message) || message is null)
        {
            return false;
        }

        if (message.Type == StunMessageType.BindingError)
        {
            response = new StunBindingResponse(message.TransactionId, null, null, null, message.ErrorCode ?? 500, message.ErrorReason);
            return true;
        }

        var mapped = message.XorMappedAddress ?? message.MappedAddress;
        if (message.Type != StunMessageType.BindingSuccess || mapped is null)
        {
            return false;
        }

        response = new StunBindingResponse(
            message.TransactionId,
            mapped,
            message.ResponseOrigin ?? message.SourceAddress,
            message.OtherAddress ?? message.ChangedAddress,
            null,
            null);
        return true;
    }
}

/// <summary>
/// A parsed Binding response: <see cref="Mapped"/> is the reflexive address the server saw (XOR-MAPPED-ADDRESS,
/// else MAPPED-ADDRESS); <see cref="Origin"/> where the answer came from (RESPONSE-ORIGIN, else SOURCE-ADDRESS);
/// <see cref="Other"/> the server's alternate address (OTHER-ADDRESS, else CHANGED-ADDRESS). An error response
/// has <see cref="ErrorCode"/> set and no addresses.
/// </summary>
public readonly record struct StunBindingResponse(
    StunTransactionId TransactionId,
    IPEndPoint? Mapped,
    IPEndPoint? Origin,
    IPEndPoint? Other,
    int? ErrorCode,
    string? ErrorReason)
{
    public bool IsSuccess => ErrorCode is null;
}
