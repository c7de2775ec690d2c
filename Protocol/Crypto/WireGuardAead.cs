using System.Buffers.Binary;
using System.Security.Cryptography;

namespace HamachiCloud.Protocol.Crypto;

/// <summary>
/// AEAD(key, counter, plaintext, aad) = ChaCha20-Poly1305 (RFC 8439) with WireGuard's 96-bit nonce:
/// <code>
/// 0       4                      12
/// +-------+----------------------+
/// | 0 0 0 0 | counter (u64 LE)   |
/// +-------+----------------------+
/// </code>
/// These one-shot helpers create a cipher per call and suit the handshake; transport sessions keep their
/// own <see cref="ChaCha20Poly1305"/> instances (see <c>TransportSession</c>).
/// </summary>
public static class WireGuardAead
{
    /// <summary>Poly1305 tag length.</summary>
    public const int TagSize = 16;

    /// <summary>Key length.</summary>
    public const int KeySize = 32;

    /// <summary>Nonce length.</summary>
    public const int NonceSize = 12;

    /// <summary>Writes WireGuard's nonce for <paramref name="counter"/> into 12 bytes.</summary>
    public static void WriteNonce(ulong counter, Span<byte> nonce)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(nonce, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], counter);
    }

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/> (plaintext length + 16).</summary>
    public static void Seal(ReadOnlySpan<byte> key, ulong counter, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> aad, Span<byte> ciphertext)
    {
        Span<byte> nonce = stackalloc byte[NonceSize];
        WriteNonce(counter, nonce);
        using var cipher = new ChaCha20Poly1305(key);
        cipher.Encrypt(nonce, plaintext, ciphertext[..plaintext.Length], ciphertext.Slice(plaintext.Length, TagSize), aad);
    }

    /// <summary>Decrypts and authenticates; false (and <paramref name="plaintext"/> cleared) on any failure.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> key, ulong counter, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> aad, Span<byte> plaintext)
    {
        if (ciphertext.Length < TagSize || plaintext.Length < ciphertext.Length - TagSize)
        {
            return false;
        }

        var length = ciphertext.Length - TagSize;
        Span<byte> nonce = stackalloc byte[NonceSize];
        WriteNonce(counter, nonce);
        using var cipher = new ChaCha20Poly1305(key);
        try
        {
            cipher.Decrypt(nonce, ciphertext[..length], ciphertext[length..], plaintext[..length], aad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }
}
