using System.Security.Cryptography;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Protocol.WireGuard;

/// <summary>
/// Sender side of the mac1/mac2 scheme for one peer: fills mac1 on every handshake message we send to it,
/// remembers that mac1 to authenticate a cookie reply, and while a cookie is fresh (120 s) fills mac2.
/// Not thread-safe; owned by the peer's handshake.
/// </summary>
public sealed class CookieGenerator
{
    private readonly byte[] _mac1Key = new byte[Blake2s.HashSize];
    private readonly byte[] _cookieKey = new byte[Blake2s.HashSize];
    private readonly byte[] _lastMac1 = new byte[Blake2s.MacSize];
    private readonly byte[] _cookie = new byte[Blake2s.MacSize];
    private bool _hasLastMac1;
    private DateTimeOffset? _cookieSetAt;

    /// <summary>For messages sent to <paramref name="remote"/>.</summary>
    public CookieGenerator(NodeKey remote)
    {
        NoiseProtocol.DeriveMac1Key(remote, _mac1Key);
        NoiseProtocol.DeriveCookieKey(remote, _cookieKey);
    }

    /// <summary>True while a cookie received less than 120 s ago is held.</summary>
    public bool HasFreshCookie(DateTimeOffset now) => _cookieSetAt is { } setAt && now - setAt < WireGuardLimits.CookieRefreshTime;

    /// <summary>Writes mac1 and mac2 (zero without a fresh cookie) into a 148- or 92-byte message.</summary>
    public void AddMacs(Span<byte> message, DateTimeOffset now)
    {
        if (message.Length != HandshakeInitiation.Size && message.Length != HandshakeResponse.Size)
        {
            throw new ArgumentException($"add macs: length {message.Length} is not a handshake message", nameof(message));
        }

        var mac1Offset = message.Length - (2 * Blake2s.MacSize);
        var mac2Offset = message.Length - Blake2s.MacSize;
        Blake2s.Mac(_mac1Key, message[..mac1Offset], message.Slice(mac1Offset, Blake2s.MacSize));
        message.Slice(mac1Offset, Blake2s.MacSize).CopyTo(_lastMac1);
        _hasLastMac1 = true;

        if (HasFreshCookie(now))
        {
            Blake2s.Mac(_cookie, message[..mac2Offset], message[mac2Offset..]);
        }
        else
        {
            message[mac2Offset..].Clear();
        }
    }

    /// <summary>
    /// Decrypts a cookie reply answering our last handshake message (its mac1 is the associated data) and
    /// stores the cookie from <paramref name="now"/>. False, with nothing changed, on any mismatch.
    /// </summary>
    public bool TryConsumeReply(ReadOnlySpan<byte> datagram, DateTimeOffset now)
    {
        if (!_hasLastMac1 || !CookieReply.TryParse(datagram, out var reply))
        {
            return false;
        }

        Span<byte> cookie = stackalloc byte[Blake2s.MacSize];
        if (!CookieAead.TryOpen(_cookieKey, reply.Nonce, reply.EncryptedCookie, _lastMac1, cookie))
        {
            return false;
        }

        cookie.CopyTo(_cookie);
        CryptographicOperations.ZeroMemory(cookie);
        _cookieSetAt = now;
        return true;
    }
}
