using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HamachiCloud.Protocol.Stun;

/// <summary>
/// A STUN message (RFC 8489), with the RFC 5780 and RFC 3489 attributes NAT classification needs.
/// Big-endian; every attribute padded to 4 bytes.
/// <code>
///  0                   1                   2                   3
///  +-+-+-----------------------------+-------------------------------+
///  |0 0|     message type (14)       |  message length (after header)|
///  +-+-+-----------------------------+-------------------------------+
///  |                 magic cookie 0x2112A442                         |
///  +-----------------------------------------------------------------+
///  |                 transaction id (96 bits)                        |
///  +-----------------------------------------------------------------+
///  |  attribute type (16)            |  value length (16)            |
///  |  value, zero padded to a multiple of 4 ...                      |
/// </code>
/// RFC 3489 clients put a 128-bit transaction id where the cookie is; <see cref="Cookie"/> then holds its first 4
/// bytes, <see cref="HasMagicCookie"/> is false, and responses echo all 16 bytes. Immutable once built; thread-safe.
/// </summary>
public sealed class StunMessage
{
    public const int HeaderSize = 20;
    public const uint MagicCookie = 0x2112A442;

    /// <summary>Largest message this codec writes or accepts (fits any Ethernet-path datagram).</summary>
    public const int MaxSize = 1280;

    private const uint FingerprintXor = 0x5354554E;
    private const int MaxSoftwareBytes = 763;

    public StunMessageType Type { get; init; }

    /// <summary>Header bytes 4..7: the magic cookie, or the start of an RFC 3489 transaction id.</summary>
    public uint Cookie { get; init; } = MagicCookie;

    public StunTransactionId TransactionId { get; init; }

    public IPEndPoint? MappedAddress { get; init; }

    public IPEndPoint? XorMappedAddress { get; init; }

    public IPEndPoint? ResponseOrigin { get; init; }

    public IPEndPoint? OtherAddress { get; init; }

    public IPEndPoint? SourceAddress { get; init; }

    public IPEndPoint? ChangedAddress { get; init; }

    /// <summary>CHANGE-REQUEST flags, or null when the attribute is absent.</summary>
    public StunChangeRequest? ChangeRequest { get; init; }

    /// <summary>ERROR-CODE as class*100+number (300..699), or null.</summary>
    public int? ErrorCode { get; init; }

    public string? ErrorReason { get; init; }

    public string? Software { get; init; }

    /// <summary>Parse: unknown comprehension-required attributes seen. Write: the UNKNOWN-ATTRIBUTES list (420 answers).</summary>
    public IReadOnlyList<ushort> UnknownAttributes { get; init; } = [];

    /// <summary>Parse: a valid FINGERPRINT was present. Write: append FINGERPRINT.</summary>
    public bool Fingerprint { get; init; }

    public bool HasMagicCookie => Cookie == MagicCookie;

    /// <summary>The RFC 8489 demultiplexing test: at least 20 bytes, top two bits zero, magic cookie at bytes 4..7.</summary>
    public static bool LooksLikeStun(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= HeaderSize && (datagram[0] & 0xC0) == 0 && BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == MagicCookie;

    /// <summary>
    /// Parses one STUN message. False (never an exception) when: shorter than the header, top bits set, the length
    /// field is not a multiple of 4 or does not match the datagram, an attribute overruns, an address attribute is
    /// malformed, or a FINGERPRINT is not last or does not match. RFC 3489 messages (no magic cookie) are accepted.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out StunMessage? message)
    {
        message = null;
        if (datagram.Length < HeaderSize || datagram.Length > MaxSize || (datagram[0] & 0xC0) != 0)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if (length % 4 != 0 || length != datagram.Length - HeaderSize)
        {
            return false;
        }

        var cookieAndId = datagram.Slice(4, 16);
        IPEndPoint? mapped = null, xorMapped = null, origin = null, other = null, source = null, changed = null;
        StunChangeRequest? change = null;
        int? errorCode = null;
        string? errorReason = null, software = null;
        List<ushort>? unknown = null;
        var fingerprint = false;

        var offset = HeaderSize;
        while (offset < datagram.Length)
        {
            if (fingerprint || datagram.Length - offset < 4)
            {
                return false; // nothing may follow FINGERPRINT; a truncated attribute header
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            var valueLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            var padded = (valueLength + 3) & ~3;
            if (padded > datagram.Length - offset - 4)
            {
                return false;
            }

            var value = datagram.Slice(offset + 4, valueLength);
            switch (type)
            {
                case StunAttributeType.MappedAddress:
                    if (!TryReadAddress(value, default, out mapped))
                    {
                        return false;
                    }

                    break;
                case StunAttributeType.XorMappedAddress:
                    if (!TryReadAddress(value, cookieAndId, out xorMapped))
                    {
                        return false;
                    }

                    break;
                case StunAttributeType.ResponseOrigin:
                    if (!TryReadAddress(value, default, out origin))
                    {
                        return false;
                    }

                    break;
                case StunAttributeType.OtherAddress:
                    if (!TryReadAddress(value, default, out other))
                    {
                        return false;
                    }

                    break;
                case StunAttributeType.SourceAddress:
                    if (!TryReadAddress(value, default, out source))
                    {
                        return false;
                    }

                    break;
                case StunAttributeType.ChangedAddress:
                    if (!TryReadAddress(value, default, out changed))
                    {
                        return false;
                    }

                    break;
                case StunAttributeType.ChangeRequest:
                    if (valueLength != 4)
                    {
                        return false;
                    }

                    change = (StunChangeRequest)(BinaryPrimitives.ReadUInt32BigEndian(value) & 0x6);
                    break;
                case StunAttributeType.ErrorCode:
                    if (valueLength < 4 || value[2] > 7)
                    {
                        return false;
                    }

                    errorCode = (value[2] * 100) + value[3];
                    if (!TryDecodeUtf8(value[4..], out errorReason))
                    {
                        return false;
                    }

                    break;
                case StunAttributeType.Software:
                    if (!TryDecodeUtf8(value, out software))
                    {
                        return false;
                    }

                    break;
                case StunAttributeType.Fingerprint:
                    if (valueLength != 4 || offset + 8 != datagram.Length
                        || (Crc32.Compute(datagram[..offset]) ^ FingerprintXor) != BinaryPrimitives.ReadUInt32BigEndian(value))
                    {
                        return false;
                    }

                    fingerprint = true;
                    break;
                default:
                    if (StunAttributeType.IsComprehensionRequired(type) && !StunAttributeType.IsKnown(type))
                    {
                        (unknown ??= []).Add(type);
                    }

                    break;
            }

            offset += 4 + padded;
        }

        message = new StunMessage
        {
            Type = (StunMessageType)BinaryPrimitives.ReadUInt16BigEndian(datagram),
            Cookie = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]),
            TransactionId = StunTransactionId.FromBytes(datagram.Slice(8, StunTransactionId.Size)),
            MappedAddress = mapped,
            XorMappedAddress = xorMapped,
            ResponseOrigin = origin,
            OtherAddress = other,
            SourceAddress = source,
            ChangedAddress = changed,
            ChangeRequest = change,
            ErrorCode = errorCode,
            ErrorReason = errorReason,
            Software = software,
            UnknownAttributes = unknown is null ? [] : unknown,
            Fingerprint = fingerprint,
        };
        return true;
    }

    /// <summary>
    /// Writes the message: header, then XOR-MAPPED-ADDRESS, MAPPED-ADDRESS, RESPONSE-ORIGIN, OTHER-ADDRESS,
    /// SOURCE-ADDRESS, CHANGED-ADDRESS, CHANGE-REQUEST, ERROR-CODE, UNKNOWN-ATTRIBUTES, SOFTWARE, FINGERPRINT (each
    /// only when set). False when <paramref name="destination"/> is too small or a field cannot be encoded.
    /// </summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < HeaderSize)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)Type);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Cookie);
        TransactionId.WriteTo(destination[8..]);
        var cookieAndId = destination.Slice(4, 16).ToArray();
        var offset = HeaderSize;

        if (!TryWriteAddress(destination, ref offset, StunAttributeType.XorMappedAddress, XorMappedAddress, cookieAndId)
            || !TryWriteAddress(destination, ref offset, StunAttributeType.MappedAddress, MappedAddress, default)
            || !TryWriteAddress(destination, ref offset, StunAttributeType.ResponseOrigin, ResponseOrigin, default)
            || !TryWriteAddress(destination, ref offset, StunAttributeType.OtherAddress, OtherAddress, default)
            || !TryWriteAddress(destination, ref offset, StunAttributeType.SourceAddress, SourceAddress, default)
            || !TryWriteAddress(destination, ref offset, StunAttributeType.ChangedAddress, ChangedAddress, default))
        {
            return false;
        }

        if (ChangeRequest is { } change)
        {
            Span<byte> value = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(value, (uint)change);
            if (!TryWriteAttribute(destination, ref offset, StunAttributeType.ChangeRequest, value))
            {
                return false;
            }
        }

        if (ErrorCode is { } code)
        {
            if (code is < 300 or > 699)
            {
                return false;
            }

            var reason = Encoding.UTF8.GetBytes(ErrorReason ?? string.Empty);
            if (reason.Length > MaxSoftwareBytes)
            {
                return false;
            }

            var value = new byte[4 + reason.Length];
            value[2] = (byte)(code / 100);
            value[3] = (byte)(code % 100);
            reason.CopyTo(value, 4);
            if (!TryWriteAttribute(destination, ref offset, StunAttributeType.ErrorCode, value))
            {
                return false;
            }
        }

        if (UnknownAttributes.Count > 0)
        {
            var value = new byte[2 * UnknownAttributes.Count];
            for (var i = 0; i < UnknownAttributes.Count; i++)
            {
                BinaryPrimitives.WriteUInt16BigEndian(value.AsSpan(2 * i), UnknownAttributes[i]);
            }

            if (!TryWriteAttribute(destination, ref offset, StunAttributeType.UnknownAttributes, value))
            {
                return false;
            }
        }

        if (Software is not null)
        {
            var value = Encoding.UTF8.GetBytes(Software);
            if (value.Length > MaxSoftwareBytes || !TryWriteAttribute(destination, ref offset, StunAttributeType.Software, value))
            {
                return false;
            }
        }

        if (Fingerprint)
        {
            if (destination.Length - offset < 8)
            {
                return false;
            }

            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(offset + 8 - HeaderSize));
            var crc = Crc32.Compute(destination[..offset]) ^ FingerprintXor;
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], StunAttributeType.Fingerprint);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], 4);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 4)..], crc);
            offset += 8;
        }

        if (offset > MaxSize)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(offset - HeaderSize));
        written = offset;
        return true;
    }

    private static bool TryReadAddress(ReadOnlySpan<byte> value, ReadOnlySpan<byte> xorKey, out IPEndPoint? endpoint)
    {
        endpoint = null;
        if (value.Length < 4)
        {
            return false;
        }

        var family = value[1];
        var addressLength = family switch { 0x01 => 4, 0x02 => 16, _ => 0 };
        if (addressLength == 0 || value.Length != 4 + addressLength)
        {
            return false;
        }

        var port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
        Span<byte> address = stackalloc byte[addressLength];
        value.Slice(4, addressLength).CopyTo(address);
        if (!xorKey.IsEmpty)
        {
            port ^= (ushort)(MagicCookieHigh(xorKey));
            for (var i = 0; i < addressLength; i++)
            {
                address[i] ^= xorKey[i];
            }
        }

        endpoint = new IPEndPoint(new IPAddress(address), port);
        return true;
    }

    private static ushort MagicCookieHigh(ReadOnlySpan<byte> cookieAndId) => BinaryPrimitives.ReadUInt16BigEndian(cookieAndId);

    private static bool TryWriteAddress(Span<byte> destination, ref int offset, ushort type, IPEndPoint? endpoint, ReadOnlySpan<byte> xorKey)
    {
        if (endpoint is null)
        {
            return true;
        }

        var address = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
        var addressLength = address.AddressFamily == AddressFamily.InterNetwork ? 4 : 16;
        Span<byte> value = stackalloc byte[4 + addressLength];
        value[0] = 0;
        value[1] = addressLength == 4 ? (byte)0x01 : (byte)0x02;
        var port = (ushort)endpoint.Port;
        if (!address.TryWriteBytes(value[4..], out _))
        {
            return false;
        }

        if (!xorKey.IsEmpty)
        {
            port ^= MagicCookieHigh(xorKey);
            for (var i = 0; i < addressLength; i++)
            {
                value[4 + i] ^= xorKey[i];
            }
        }

        BinaryPrimitives.WriteUInt16BigEndian(value[2..], port);
        return TryWriteAttribute(destination, ref offset, type, value);
    }

    private static bool TryWriteAttribute(Span<byte> destination, ref int offset, ushort type, ReadOnlySpan<byte> value)
    {
        var padded = (value.Length + 3) & ~3;
        if (destination.Length - offset < 4 + padded)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)value.Length);
        value.CopyTo(destination[(offset + 4)..]);
        destination.Slice(offset + 4 + value.Length, padded - value.Length).Clear();
        offset += 4 + padded;
        return true;
    }

    private static bool TryDecodeUtf8(ReadOnlySpan<byte> bytes, out string? text)
    {
        text = null;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
