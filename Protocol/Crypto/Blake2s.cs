using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;

namespace HamachiCloud.Protocol.Crypto;

/// <summary>
/// WireGuard's hash primitives over BLAKE2s (whitepaper §5.4): HASH = BLAKE2s-256, MAC = keyed BLAKE2s-128,
/// HMAC = RFC 2104 HMAC over BLAKE2s-256 (block 64 bytes). Stateless and thread-safe.
/// </summary>
public static class Blake2s
{
    /// <summary>HASH output length.</summary>
    public const int HashSize = 32;

    /// <summary>MAC output length.</summary>
    public const int MacSize = 16;

    private const int BlockSize = 64;

    /// <summary>HASH(a || b) into <paramref name="output"/> (32 bytes).</summary>
    public static void Hash(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output)
    {
        var digest = new Blake2sDigest(HashSize * 8);
        digest.BlockUpdate(a);
        digest.BlockUpdate(b);
        digest.DoFinal(output);
    }

    /// <summary>HASH(input) into <paramref name="output"/> (32 bytes).</summary>
    public static void Hash(ReadOnlySpan<byte> input, Span<byte> output) => Hash(input, ReadOnlySpan<byte>.Empty, output);

    /// <summary>MAC(key, input): keyed BLAKE2s with a 16-byte output. Key length 1..32.</summary>
    public static void Mac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var digest = new Blake2sDigest(key.ToArray(), MacSize, null, null);
        digest.BlockUpdate(input);
        digest.DoFinal(output);
    }

    /// <summary>HMAC-BLAKE2s(key, a || b) into <paramref name="output"/> (32 bytes). Key length 0..64.</summary>
    public static void Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output)
    {
        if (key.Length > BlockSize)
        {
            throw new ArgumentException($"hmac key: length {key.Length} > {BlockSize}", nameof(key));
        }

        Span<byte> pad = stackalloc byte[BlockSize];
        Span<byte> inner = stackalloc byte[HashSize];
        pad.Clear();
        key.CopyTo(pad);
        for (var i = 0; i < BlockSize; i++)
        {
            pad[i] ^= 0x36;
        }

        var digest = new Blake2sDigest(HashSize * 8);
        digest.BlockUpdate(pad);
        digest.BlockUpdate(a);
        digest.BlockUpdate(b);
        digest.DoFinal(inner);

        for (var i = 0; i < BlockSize; i++)
        {
            pad[i] ^= 0x36 ^ 0x5c;
        }

        digest.Reset();
        digest.BlockUpdate(pad);
        digest.BlockUpdate(inner);
        digest.DoFinal(output);
        CryptographicOperations.ZeroMemory(pad);
        CryptographicOperations.ZeroMemory(inner);
    }
}
