using System.Net;
using HamachiCloud.Protocol.Stun;

namespace HamachiCloud.Relay.Stun;

/// <summary>
/// Answers STUN Binding requests (pure): RFC 8489/5780 clients get XOR-MAPPED-ADDRESS, MAPPED-ADDRESS,
/// RESPONSE-ORIGIN, OTHER-ADDRESS, SOFTWARE and FINGERPRINT; RFC 3489 clients (no magic cookie) get MAPPED-ADDRESS,
/// SOURCE-ADDRESS and CHANGED-ADDRESS. CHANGE-REQUEST picks the socket to answer from; one that does not exist
/// gets 420, like an unknown comprehension-required attribute. Thread-safe (stateless).
/// </summary>
public sealed class StunResponder(StunSockets sockets)
{
    public const string SoftwareName = "HamachiCloud relay";

    /// <summary>
    /// The answer to <paramref name="request"/> received on socket <paramref name="socketIndex"/> from
    /// <paramref name="from"/>: bytes in <paramref name="output"/> to send from socket <paramref name="sendFrom"/>.
    /// False when the datagram is not a Binding request (drop it).
    /// </summary>
    public bool TryAnswer(int socketIndex, IPEndPoint from, ReadOnlySpan<byte> request, Span<byte> output, out int length, out int sendFrom)
    {
        length = 0;
        sendFrom = socketIndex;
        if (!StunMessage.TryParse(request, out var message) || message is null || message.Type != StunMessageType.BindingRequest)
        {
            return false;
        }

        var change = message.ChangeRequest ?? StunChangeRequest.None;
        var target = sockets.Changed(socketIndex, change.HasFlag(StunChangeRequest.ChangeIp), change.HasFlag(StunChangeRequest.ChangePort));
        StunMessage answer;
        if (message.UnknownAttributes.Count > 0 || target < 0)
        {
            answer = new StunMessage
            {
                Type = StunMessageType.BindingError,
                Cookie = message.Cookie,
                TransactionId = message.TransactionId,
                ErrorCode = 420,
                ErrorReason = target < 0 ? "No alternate address for CHANGE-REQUEST" : "Unknown Attribute",
                UnknownAttributes = target < 0 ? [StunAttributeType.ChangeRequest] : message.UnknownAttributes,
                Software = message.HasMagicCookie ? SoftwareName : null,
                Fingerprint = message.HasMagicCookie,
            };
        }
        else
        {
            sendFrom = target;
            var origin = sockets[target]!;
            var other = sockets.Other(socketIndex);
            var mapped = from.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(from.Address.MapToIPv4(), from.Port) : from;
            answer = message.HasMagicCookie
                ? new StunMessage
                {
                    Type = StunMessageType.BindingSuccess,
                    Cookie = message.Cookie,
                    TransactionId = message.TransactionId,
                    XorMappedAddress = mapped,
                    MappedAddress = mapped,
                    ResponseOrigin = origin,
                    OtherAddress = other,
                    Software = SoftwareName,
                    Fingerprint = true,
                }
                : new StunMessage
                {
                    Type = StunMessageType.BindingSuccess,
                    Cookie = message.Cookie,
                    TransactionId = message.TransactionId,
                    MappedAddress = mapped,
                    SourceAddress = origin,
                    ChangedAddress = other,
                };
        }

        return answer.TryWrite(output, out length);
    }
}
