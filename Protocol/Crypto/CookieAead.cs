using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace HamachiCloud.Protocol.Crypto;

/// <summary>
/// XAEAD(key, nonce, plaintext, aad) = XChaCha20-Poly1305 with a 24-byte random nonce, used only to
/// encrypt the 16-byte cookie in a cookie reply (whitepaper §5.4.7). Not a hot path; allocates.
/// </summary>
public static class CookieAead
{
    /// <summary>Nonce length.</summary>
    public const int NonceSize = 24;

    /// <summary>Tag length.</summary>
    public const int TagSize = 16;

    /// <summary>Encrypts into <paramref name="ciphertext"/> (plaintext length + 16).</summary>
    public static void Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> aad, Span<byte> ciphertext)
    {
        var cipher = Create(forEncryption: true, key, nonce);
        cipher.ProcessAadBytes(aad);
        var written = cipher.ProcessBytes(plaintext, ciphertext);
        cipher.DoFinal(ciphertext[written..]);
    }

    /// <summary>Decrypts and authenticates; false on any failure.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> aad, Span<byte> plaintext)
    {
        if (key.Length != 32 || nonce.Length != NonceSize || ciphertext.Length < TagSize || plaintext.Length < ciphertext.Length - TagSize)
        {
            return false;
        }

        var cipher = Create(forEncryption: false, key, nonce);
        cipher.ProcessAadBytes(aad);
        Span<byte> buffer = stackalloc byte[ciphertext.Length];
        try
        {
            var written = cipher.ProcessBytes(ciphertext, buffer);
            written += cipher.DoFinal(buffer[written..]);
            buffer[..written].CopyTo(plaintext);
            return true;
        }
        catch (InvalidCipherTextException)
        {
            return false;
        }
    }

    private static XChaCha20Poly1305 Create(bool forEncryption, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce)
    {
        var cipher = new XChaCha20Poly1305();
        cipher.Init(forEncryption, new ParametersWithIV(new KeyParameter(key), nonce));
        return cipher;
    }
}
