using System.Buffers.Binary;
using System.Text;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Protocol.Relay;

/// <summary>
/// A relay token: lets the holder of <see cref="From"/> send through relay <see cref="RelayId"/> to
/// <see cref="To"/> until <see cref="ExpiresAt"/>, at most <see cref="BandwidthBitsPerSecond"/> (0 = unlimited).
/// Signed by the Api's server identity key (Ed25519). 161 bytes, big-endian:
/// <code>
///  0        1                17               49               81
///  +--------+----------------+----------------+----------------+
///  | ver=1  | relayId (16)   | fromNodeKey 32 | toNodeKey 32   |
///  +--------+----------------+----------------+----------------+
///  81                89                97                        161
///  | expiresAt i64   | bandwidth i64   | signature (64)          |
///  +-----------------+-----------------+-------------------------+
/// </code>
/// relayId is the Guid in RFC 4122 (big-endian) byte order; expiresAt is unix seconds; the signature is Ed25519 over
/// "hamachi relay token v1" || bytes 0..96. Immutable.
/// </summary>
public sealed record RelayToken(Guid RelayId, NodeKey From, NodeKey To, DateTimeOffset ExpiresAt, long BandwidthBitsPerSecond)
{
    public const int Size = 161;
    public const byte Version = 1;
    public const int SignedSize = 97;

    /// <summary>Where the sender's node key starts (32 bytes), for lookups before verification.</summary>
    public const int FromOffset = 17;

    /// <summary>Where the receiver's node key starts (32 bytes).</summary>
    public const int ToOffset = 49;
    private static readonly byte[] Context = Encoding.ASCII.GetBytes("hamachi relay token v1");

    /// <summary>Signs the token with the server identity key and writes its 161 bytes.</summary>
    public bool TryWrite(Span<byte> destination, SigningKey key, out int written)
    {
        written = 0;
        if (destination.Length < Size || BandwidthBitsPerSecond < 0)
        {
            return false;
        }

        destination[0] = Version;
        RelayId.TryWriteBytes(destination.Slice(1, 16), bigEndian: true, out _);
        From.Bytes.CopyTo(destination[17..]);
        To.Bytes.CopyTo(destination[49..]);
        BinaryPrimitives.WriteInt64BigEndian(destination[81..], ExpiresAt.ToUnixTimeSeconds());
        BinaryPrimitives.WriteInt64BigEndian(destination[89..], BandwidthBitsPerSecond);
        key.Sign(SignedMessage(destination[..SignedSize])).CopyTo(destination[SignedSize..]);
        written = Size;
        return true;
    }

    /// <summary>The token's 161 bytes, signed.</summary>
    public byte[] ToBytes(SigningKey key)
    {
        var bytes = new byte[Size];
        return TryWrite(bytes, key, out _) ? bytes : throw new ArgumentException("relay token: bandwidth must be >= 0");
    }

    /// <summary>
    /// Parses and checks the signature with <paramref name="issuer"/>. Does not check expiry or relay id (the relay
    /// does, with its clock and id). <see cref="RelayTokenStatus.Malformed"/> for a wrong length, version or a
    /// negative bandwidth; <see cref="RelayTokenStatus.BadSignature"/> when the signature does not verify.
    /// </summary>
    public static RelayTokenStatus TryVerify(ReadOnlySpan<byte> bytes, SigningPublicKey issuer, out RelayToken? token)
    {
        token = null;
        if (bytes.Length != Size || bytes[0] != Version)
        {
            return RelayTokenStatus.Malformed;
        }

        var bandwidth = BinaryPrimitives.ReadInt64BigEndian(bytes[89..]);
        var expires = BinaryPrimitives.ReadInt64BigEndian(bytes[81..]);
        if (bandwidth < 0 || expires < 0 || expires > 253402300799)
        {
            return RelayTokenStatus.Malformed;
        }

        if (!issuer.Verify(SignedMessage(bytes[..SignedSize]), bytes[SignedSize..Size]))
        {
            return RelayTokenStatus.BadSignature;
        }

        token = new RelayToken(
            new Guid(bytes.Slice(1, 16), bigEndian: true),
            NodeKey.FromBytes(bytes.Slice(FromOffset, 32)),
            NodeKey.FromBytes(bytes.Slice(ToOffset, 32)),
            DateTimeOffset.FromUnixTimeSeconds(expires),
            bandwidth);
        return RelayTokenStatus.Valid;
    }

    private static byte[] SignedMessage(ReadOnlySpan<byte> body)
    {
        var message = new byte[Context.Length + body.Length];
        Context.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(Context.Length));
        return message;
    }
}

/// <summary>Outcome of <see cref="RelayToken.TryVerify"/>.</summary>
public enum RelayTokenStatus
{
    Valid,
    Malformed,
    BadSignature,
}
