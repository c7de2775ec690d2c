using System.Security.Cryptography;

namespace HamachiCloud.Protocol.Crypto;

/// <summary>
/// WireGuard's KDF_n (whitepaper §5.4, HKDF over HMAC-BLAKE2s):
/// <code>
/// t0 = HMAC(key, input)
/// t1 = HMAC(t0, 0x01)
/// t2 = HMAC(t0, t1 || 0x02)
/// t3 = HMAC(t0, t2 || 0x03)
/// </code>
/// KDF1 returns t1, KDF2 (t1, t2), KDF3 (t1, t2, t3). Outputs may alias the key.
/// </summary>
public static class NoiseKdf
{
    /// <summary>Length of every KDF output.</summary>
    public const int OutputSize = Blake2s.HashSize;

    /// <summary>KDF1(key, input).</summary>
    public static void Kdf1(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> t1) =>
        Derive(key, input, t1, Span<byte>.Empty, Span<byte>.Empty, 1);

    /// <summary>KDF2(key, input).</summary>
    public static void Kdf2(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> t1, Span<byte> t2) =>
        Derive(key, input, t1, t2, Span<byte>.Empty, 2);

    /// <summary>KDF3(key, input).</summary>
    public static void Kdf3(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> t1, Span<byte> t2, Span<byte> t3) =>
        Derive(key, input, t1, t2, t3, 3);

    private static void Derive(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> t1, Span<byte> t2, Span<byte> t3, int count)
    {
        Span<byte> t0 = stackalloc byte[OutputSize];
        Span<byte> previous = stackalloc byte[OutputSize];
        Span<byte> counter = stackalloc byte[1];
        Blake2s.Hmac(key, input, ReadOnlySpan<byte>.Empty, t0);

        counter[0] = 1;
        Blake2s.Hmac(t0, counter, ReadOnlySpan<byte>.Empty, previous);
        previous.CopyTo(t1);
        if (count >= 2)
        {
            counter[0] = 2;
            Blake2s.Hmac(t0, previous, counter, previous);
            previous.CopyTo(t2);
        }

        if (count >= 3)
        {
            counter[0] = 3;
            Blake2s.Hmac(t0, previous, counter, previous);
            previous.CopyTo(t3);
        }

        CryptographicOperations.ZeroMemory(t0);
        CryptographicOperations.ZeroMemory(previous);
    }
}
