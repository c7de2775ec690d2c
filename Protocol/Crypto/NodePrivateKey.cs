using System.Security.Cryptography;
using NSec.Cryptography;

namespace HamachiCloud.Protocol.Crypto;

/// <summary>
/// An X25519 private key and its Diffie-Hellman operation. The only type that touches NSec, so a native
/// .NET X25519 can replace it without changing callers. Dispose to wipe the key.
/// </summary>
public sealed class NodePrivateKey : IDisposable
{
    /// <summary>Length of the raw key in bytes.</summary>
    public const int Size = 32;

    private static readonly KeyAgreementAlgorithm Algorithm = KeyAgreementAlgorithm.X25519;
    private readonly Key _key;

    private NodePrivateKey(Key key)
    {
        _key = key;
        PublicKey = NodeKey.FromBytes(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>The matching public key.</summary>
    public NodeKey PublicKey { get; }

    /// <summary>Imports 32 raw bytes (clamping is applied by the scalar multiplication, as in WireGuard).</summary>
    public static NodePrivateKey FromBytes(ReadOnlySpan<byte> raw)
    {
        if (raw.Length != Size)
        {
            throw new ArgumentException($"private key: length {raw.Length} != {Size}", nameof(raw));
        }

        var parameters = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        return new NodePrivateKey(Key.Import(Algorithm, raw, KeyBlobFormat.RawPrivateKey, in parameters));
    }

    /// <summary>Parses the WireGuard base64 form of a private key.</summary>
    public static bool TryParseBase64(string? text, out NodePrivateKey? key)
    {
        key = null;
        Span<byte> raw = stackalloc byte[Size + 2];
        if (text is null || !Convert.TryFromBase64String(text, raw, out var written) || written != Size)
        {
            return false;
        }

        key = FromBytes(raw[..Size]);
        CryptographicOperations.ZeroMemory(raw);
        return true;
    }

    /// <summary>Generates a key from the given generator (the composition root's CSPRNG; tests pass a seeded one).</summary>
    public static NodePrivateKey Generate(RandomNumberGenerator random)
    {
        Span<byte> raw = stackalloc byte[Size];
        random.GetBytes(raw);
        raw[0] &= 248;
        raw[31] = (byte)((raw[31] & 127) | 64);
        var key = FromBytes(raw);
        CryptographicOperations.ZeroMemory(raw);
        return key;
    }

    /// <summary>Writes the raw private key (for storing it 0600 on the device).</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (!_key.TryExport(KeyBlobFormat.RawPrivateKey, destination, out var written) || written != Size)
        {
            throw new ArgumentException($"private key export: destination length {destination.Length} < {Size}", nameof(destination));
        }
    }

    /// <summary>Formats the private key as WireGuard base64.</summary>
    public string ToBase64()
    {
        Span<byte> raw = stackalloc byte[Size];
        CopyTo(raw);
        var text = Convert.ToBase64String(raw);
        CryptographicOperations.ZeroMemory(raw);
        return text;
    }

    /// <summary>
    /// X25519(this, peer) into <paramref name="sharedSecret"/> (32 bytes). False when the peer key is invalid
    /// or the result is all zero (a low-order point), which WireGuard treats as a failed handshake.
    /// </summary>
    public bool TryAgree(ReadOnlySpan<byte> peerPublicKey, Span<byte> sharedSecret)
    {
        if (sharedSecret.Length < Size || peerPublicKey.Length != NodeKey.Size)
        {
            return false;
        }

        if (!NSec.Cryptography.PublicKey.TryImport(Algorithm, peerPublicKey, KeyBlobFormat.RawPublicKey, out var peer) || peer is null)
        {
            return false;
        }

        var parameters = new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        using var secret = Algorithm.Agree(_key, peer, in parameters);
        if (secret is null || !secret.TryExport(SharedSecretBlobFormat.RawSharedSecret, sharedSecret, out var written) || written != Size)
        {
            return false;
        }

        return !IsAllZero(sharedSecret[..Size]);
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    private static bool IsAllZero(ReadOnlySpan<byte> value)
    {
        var acc = 0;
        foreach (var b in value)
        {
            acc |= b;
        }

        return acc == 0;
    }
}
