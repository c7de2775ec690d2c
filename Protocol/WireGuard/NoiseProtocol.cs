using System.Text;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Protocol.WireGuard;

/// <summary>
/// The Noise_IKpsk2 constants WireGuard fixes (whitepaper §5.4): construction, identifier, MAC labels,
/// and the two values every handshake starts from:
/// <code>
/// C0 = HASH(CONSTRUCTION)
/// H0 = HASH(C0 || IDENTIFIER)
/// </code>
/// and the per-responder keys HASH(LABEL_MAC1 || Spub) and HASH(LABEL_COOKIE || Spub).
/// </summary>
public static class NoiseProtocol
{
    /// <summary>The Noise protocol name.</summary>
    public const string Construction = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s";

    /// <summary>WireGuard's prologue identifier.</summary>
    public const string Identifier = "WireGuard v1 zx2c4 Jason@zx2c4.com";

    /// <summary>Label for the mac1 key.</summary>
    public const string LabelMac1 = "mac1----";

    /// <summary>Label for the cookie encryption key.</summary>
    public const string LabelCookie = "cookie--";

    private static readonly byte[] InitialChainKeyBytes = ComputeInitialChainKey();
    private static readonly byte[] InitialHashBytes = ComputeInitialHash();

    /// <summary>C0 = HASH(CONSTRUCTION).</summary>
    public static ReadOnlySpan<byte> InitialChainKey => InitialChainKeyBytes;

    /// <summary>H0 = HASH(C0 || IDENTIFIER).</summary>
    public static ReadOnlySpan<byte> InitialHash => InitialHashBytes;

    /// <summary>HASH(LABEL_MAC1 || publicKey): the key of mac1 on messages sent to that key's owner.</summary>
    public static void DeriveMac1Key(NodeKey publicKey, Span<byte> key) =>
        Blake2s.Hash("mac1----"u8, publicKey.Bytes, key);

    /// <summary>HASH(LABEL_COOKIE || publicKey): the key that owner uses to encrypt cookie replies.</summary>
    public static void DeriveCookieKey(NodeKey publicKey, Span<byte> key) =>
        Blake2s.Hash("cookie--"u8, publicKey.Bytes, key);

    private static byte[] ComputeInitialChainKey()
    {
        var ck = new byte[Blake2s.HashSize];
        Blake2s.Hash(Encoding.ASCII.GetBytes(Construction), ck);
        return ck;
    }

    private static byte[] ComputeInitialHash()
    {
        var h = new byte[Blake2s.HashSize];
        Blake2s.Hash(InitialChainKeyBytes, Encoding.ASCII.GetBytes(Identifier), h);
        return h;
    }
}
