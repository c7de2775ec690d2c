using System.Security.Cryptography;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Protocol.WireGuard;

/// <summary>
/// This device's WireGuard static key with the values derived from it once: the mac1 key peers use on
/// messages to us, and the key we encrypt cookie replies with. Owns and disposes the private key.
/// </summary>
public sealed class LocalIdentity : IDisposable
{
    private readonly byte[] _mac1Key = new byte[Blake2s.HashSize];
    private readonly byte[] _cookieKey = new byte[Blake2s.HashSize];

    /// <summary>Wraps <paramref name="staticKey"/> (ownership passes to this object).</summary>
    public LocalIdentity(NodePrivateKey staticKey)
    {
        StaticKey = staticKey;
        NoiseProtocol.DeriveMac1Key(staticKey.PublicKey, _mac1Key);
        NoiseProtocol.DeriveCookieKey(staticKey.PublicKey, _cookieKey);
    }

    /// <summary>The static private key.</summary>
    public NodePrivateKey StaticKey { get; }

    /// <summary>The static public key peers know us by.</summary>
    public NodeKey PublicKey => StaticKey.PublicKey;

    /// <summary>HASH(LABEL_MAC1 || our public key).</summary>
    public ReadOnlySpan<byte> Mac1Key => _mac1Key;

    /// <summary>HASH(LABEL_COOKIE || our public key).</summary>
    public ReadOnlySpan<byte> CookieKey => _cookieKey;

    /// <summary>
    /// True when the mac1 of a handshake message addressed to us (148 or 92 bytes, mac1 at length - 32)
    /// is MAC(HASH(LABEL_MAC1 || our public key), bytes before mac1). Constant time; never throws.
    /// </summary>
    public bool CheckMac1(ReadOnlySpan<byte> message)
    {
        if (message.Length != HandshakeInitiation.Size && message.Length != HandshakeResponse.Size)
        {
            return false;
        }

        var mac1Offset = message.Length - (2 * Blake2s.MacSize);
        Span<byte> expected = stackalloc byte[Blake2s.MacSize];
        Blake2s.Mac(_mac1Key, message[..mac1Offset], expected);
        return CryptographicOperations.FixedTimeEquals(expected, message.Slice(mac1Offset, Blake2s.MacSize));
    }

    /// <inheritdoc />
    public void Dispose() => StaticKey.Dispose();
}
