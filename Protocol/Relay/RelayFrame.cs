using System.Buffers.Binary;

namespace HamachiCloud.Protocol.Relay;

/// <summary>
/// A relay frame: over UDP to the relay's port, or one per binary WebSocket message on <c>/relay</c>. A zero-copy
/// view: spans point into the parsed datagram. Big-endian.
/// <code>
///  0    1    2    3      4
///  +----+----+----+------+----------------------------------------------+
///  | 'H'| 'C'| 'R'| type | body                                         |
///  +----+----+----+------+----------------------------------------------+
///  Bind    0x01  agent→relay  token (161)                         = 165 bytes
///  BindOk  0x02  relay→agent  toNodeKey (32) | expiresAt i64      =  44 bytes
///  Send    0x03  agent→relay  toNodeKey (32) | payload (1..)      >= 37 bytes
///  Recv    0x04  relay→agent  fromNodeKey (32) | payload (1..)    >= 37 bytes
///  Refused 0x05  relay→agent  reason u8 | toNodeKey (32, zero if unknown) = 37 bytes
///  Challenge 0x06 relay→agent toNodeKey (32) | relayKey (32) | cookie (24)  =  92 bytes
///  BindProof 0x07 agent→relay token (161) | cookie (24) | proof (16)         = 205 bytes
/// </code>
/// The cookie (issuedAt i64 unix ms | mac 16) and the proof are described in <see cref="RelayBindProof"/>.
/// </summary>
public readonly ref struct RelayFrame
{
    public const int HeaderSize = 4;
    public const int KeySize = 32;
    public const int BindSize = HeaderSize + RelayToken.Size;
    public const int BindOkSize = HeaderSize + KeySize + 8;
    public const int RefusedSize = HeaderSize + 1 + KeySize;
    public const int ChallengeSize = HeaderSize + KeySize + KeySize + RelayBindProof.CookieSize;
    public const int BindProofSize = HeaderSize + RelayToken.Size + RelayBindProof.CookieSize + RelayBindProof.ProofSize;

    /// <summary>Bytes in front of the payload in Send and Recv frames.</summary>
    public const int DataOverhead = HeaderSize + KeySize;

    /// <summary>Largest payload carried (a WireGuard datagram for any MTU up to 65 535 fits).</summary>
    public const int MaxPayload = 65535 - DataOverhead;

    private RelayFrame(RelayFrameType type, ReadOnlySpan<byte> key, ReadOnlySpan<byte> token, long expiresAt, RelayRefusal reason, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Key = key;
        Token = token;
        ExpiresAtUnixSeconds = expiresAt;
        Reason = reason;
        Payload = payload;
    }

    private RelayFrame(RelayFrameType type, ReadOnlySpan<byte> key, ReadOnlySpan<byte> token, ReadOnlySpan<byte> relayKey, ReadOnlySpan<byte> cookie, ReadOnlySpan<byte> proof)
    {
        Type = type;
        Key = key;
        Token = token;
        RelayKey = relayKey;
        Cookie = cookie;
        Proof = proof;
    }

    public RelayFrameType Type { get; }

    /// <summary>BindOk/Send/Refused: the target node key; Recv: the sender's node key. Empty for Bind.</summary>
    public ReadOnlySpan<byte> Key { get; }

    /// <summary>Bind and BindProof: the 161 token bytes.</summary>
    public ReadOnlySpan<byte> Token { get; }

    /// <summary>Challenge: the relay's X25519 public key the proof is computed against.</summary>
    public ReadOnlySpan<byte> RelayKey { get; }

    /// <summary>Challenge and BindProof: the relay's cookie (24 bytes, echoed unchanged).</summary>
    public ReadOnlySpan<byte> Cookie { get; }

    /// <summary>BindProof: the 16-byte proof of possession of the token's fromNodeKey.</summary>
    public ReadOnlySpan<byte> Proof { get; }

    /// <summary>BindOk: when the binding expires (unix seconds).</summary>
    public long ExpiresAtUnixSeconds { get; }

    /// <summary>Refused: the reason.</summary>
    public RelayRefusal Reason { get; }

    /// <summary>Send/Recv: the opaque datagram.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>True when the datagram starts with "HCR" (the demultiplexing test; the type is not checked).</summary>
    public static bool LooksLikeRelayFrame(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= HeaderSize && datagram[0] == (byte)'H' && datagram[1] == (byte)'C' && datagram[2] == (byte)'R';

    /// <summary>Parses a frame; false (never an exception) for a wrong prefix, unknown type or a wrong length.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out RelayFrame frame)
    {
        frame = default;
        if (!LooksLikeRelayFrame(datagram))
        {
            return false;
        }

        var body = datagram[HeaderSize..];
        switch ((RelayFrameType)datagram[3])
        {
            case RelayFrameType.Bind when body.Length == RelayToken.Size:
                frame = new RelayFrame(RelayFrameType.Bind, default, body, 0, 0, default);
                return true;
            case RelayFrameType.BindOk when body.Length == KeySize + 8:
                frame = new RelayFrame(RelayFrameType.BindOk, body[..KeySize], default, BinaryPrimitives.ReadInt64BigEndian(body[KeySize..]), 0, default);
                return true;
            case RelayFrameType.Send or RelayFrameType.Recv when body.Length > KeySize && body.Length - KeySize <= MaxPayload:
                frame = new RelayFrame((RelayFrameType)datagram[3], body[..KeySize], default, 0, 0, body[KeySize..]);
                return true;
            case RelayFrameType.Refused when body.Length == 1 + KeySize && body[0] is >= 1 and <= 7:
                frame = new RelayFrame(RelayFrameType.Refused, body[1..], default, 0, (RelayRefusal)body[0], default);
                return true;
            case RelayFrameType.Challenge when body.Length == ChallengeSize - HeaderSize:
                frame = new RelayFrame(RelayFrameType.Challenge, body[..KeySize], default, body.Slice(KeySize, KeySize), body[(2 * KeySize)..], default);
                return true;
            case RelayFrameType.BindProof when body.Length == BindProofSize - HeaderSize:
                frame = new RelayFrame(RelayFrameType.BindProof, default, body[..RelayToken.Size], default,
                    body.Slice(RelayToken.Size, RelayBindProof.CookieSize), body[(RelayToken.Size + RelayBindProof.CookieSize)..]);
                return true;
            default:
                return false;
        }
    }

    public static bool TryWriteBind(Span<byte> destination, ReadOnlySpan<byte> token, out int written)
    {
        written = 0;
        if (token.Length != RelayToken.Size || destination.Length < BindSize)
        {
            return false;
        }

        WriteHeader(destination, RelayFrameType.Bind);
        token.CopyTo(destination[HeaderSize..]);
        written = BindSize;
        return true;
    }

    public static bool TryWriteBindOk(Span<byte> destination, ReadOnlySpan<byte> toKey, long expiresAtUnixSeconds, out int written)
    {
        written = 0;
        if (toKey.Length != KeySize || destination.Length < BindOkSize)
        {
            return false;
        }

        WriteHeader(destination, RelayFrameType.BindOk);
        toKey.CopyTo(destination[HeaderSize..]);
        BinaryPrimitives.WriteInt64BigEndian(destination[(HeaderSize + KeySize)..], expiresAtUnixSeconds);
        written = BindOkSize;
        return true;
    }

    /// <summary>Send (agent→relay): the payload for <paramref name="toKey"/>.</summary>
    public static bool TryWriteSend(Span<byte> destination, ReadOnlySpan<byte> toKey, ReadOnlySpan<byte> payload, out int written) =>
        TryWriteData(destination, RelayFrameType.Send, toKey, payload, out written);

    /// <summary>Recv (relay→agent): the payload from <paramref name="fromKey"/>.</summary>
    public static bool TryWriteRecv(Span<byte> destination, ReadOnlySpan<byte> fromKey, ReadOnlySpan<byte> payload, out int written) =>
        TryWriteData(destination, RelayFrameType.Recv, fromKey, payload, out written);

    /// <summary>Challenge (relay→agent): prove the node key of the binding towards <paramref name="toKey"/> with <paramref name="relayKey"/> and <paramref name="cookie"/>.</summary>
    public static bool TryWriteChallenge(Span<byte> destination, ReadOnlySpan<byte> toKey, ReadOnlySpan<byte> relayKey, ReadOnlySpan<byte> cookie, out int written)
    {
        written = 0;
        if (toKey.Length != KeySize || relayKey.Length != KeySize || cookie.Length != RelayBindProof.CookieSize || destination.Length < ChallengeSize)
        {
            return false;
        }

        WriteHeader(destination, RelayFrameType.Challenge);
        toKey.CopyTo(destination[HeaderSize..]);
        relayKey.CopyTo(destination[(HeaderSize + KeySize)..]);
        cookie.CopyTo(destination[(HeaderSize + (2 * KeySize))..]);
        written = ChallengeSize;
        return true;
    }

    /// <summary>BindProof (agent→relay): the token, the challenge's cookie and the proof (<see cref="RelayBindProof.Compute"/>).</summary>
    public static bool TryWriteBindProof(Span<byte> destination, ReadOnlySpan<byte> token, ReadOnlySpan<byte> cookie, ReadOnlySpan<byte> proof, out int written)
    {
        written = 0;
        if (token.Length != RelayToken.Size || cookie.Length != RelayBindProof.CookieSize || proof.Length != RelayBindProof.ProofSize || destination.Length < BindProofSize)
        {
            return false;
        }

        WriteHeader(destination, RelayFrameType.BindProof);
        token.CopyTo(destination[HeaderSize..]);
        cookie.CopyTo(destination[(HeaderSize + RelayToken.Size)..]);
        proof.CopyTo(destination[(HeaderSize + RelayToken.Size + RelayBindProof.CookieSize)..]);
        written = BindProofSize;
        return true;
    }

    public static bool TryWriteRefused(Span<byte> destination, RelayRefusal reason, ReadOnlySpan<byte> toKey, out int written)
    {
        written = 0;
        if (destination.Length < RefusedSize || (toKey.Length != KeySize && !toKey.IsEmpty) || (byte)reason is < 1 or > 7)
        {
            return false;
        }

        WriteHeader(destination, RelayFrameType.Refused);
        destination[HeaderSize] = (byte)reason;
        var key = destination.Slice(HeaderSize + 1, KeySize);
        if (toKey.IsEmpty)
        {
            key.Clear();
        }
        else
        {
            toKey.CopyTo(key);
        }

        written = RefusedSize;
        return true;
    }

    private static bool TryWriteData(Span<byte> destination, RelayFrameType type, ReadOnlySpan<byte> key, ReadOnlySpan<byte> payload, out int written)
    {
        written = 0;
        if (key.Length != KeySize || payload.IsEmpty || payload.Length > MaxPayload || destination.Length < DataOverhead + payload.Length)
        {
            return false;
        }

        WriteHeader(destination, type);
        key.CopyTo(destination[HeaderSize..]);
        payload.CopyTo(destination[DataOverhead..]);
        written = DataOverhead + payload.Length;
        return true;
    }

    private static void WriteHeader(Span<byte> destination, RelayFrameType type)
    {
        destination[0] = (byte)'H';
        destination[1] = (byte)'C';
        destination[2] = (byte)'R';
        destination[3] = (byte)type;
    }
}
