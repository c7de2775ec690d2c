using System.Buffers;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace HamachiCloud.Protocol.Crypto;

/// <summary>An Ed25519 public key: text form <c>machinekey:&lt;hex&gt;</c> or base64.</summary>
public sealed class SigningPublicKey : IEquatable<SigningPublicKey>
{
    public const int Size = 32;
    public const int SignatureSize = 64;
    private const string Prefix = "machinekey:";

    private readonly byte[] _bytes;

    private SigningPublicKey(byte[] bytes)
    {
        _bytes = bytes;
    }

    public ReadOnlySpan<byte> Bytes => _bytes;

    public static SigningPublicKey FromBytes(ReadOnlySpan<byte> raw) =>
        raw.Length == Size ? new SigningPublicKey(raw.ToArray()) : throw new ArgumentException($"an Ed25519 public key is {Size} bytes, got {raw.Length}", nameof(raw));

    /// <summary>Accepts "machinekey:&lt;64 hex&gt;", bare 64 hex, or base64 of 32 bytes.</summary>
    public static bool TryParse(string? text, out SigningPublicKey? key)
    {
        key = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.StartsWith(Prefix, StringComparison.Ordinal) ? text[Prefix.Length..] : text;
        Span<byte> raw = stackalloc byte[Size];
        if (s.Length == Size * 2 && Convert.FromHexString(s, raw, out _, out var written) == OperationStatus.Done && written == Size)
        {
            key = new SigningPublicKey(raw.ToArray());
            return true;
        }

        if (Convert.TryFromBase64String(s, raw, out written) && written == Size)
        {
            key = new SigningPublicKey(raw.ToArray());
            return true;
        }

        return false;
    }

    /// <summary>True when <paramref name="signature"/> is this key's Ed25519 signature of <paramref name="message"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureSize)
        {
            return false;
        }

        return PublicKey.TryImport(SignatureAlgorithm.Ed25519, _bytes, KeyBlobFormat.RawPublicKey, out var key)
            && key is not null
            && SignatureAlgorithm.Ed25519.Verify(key, message, signature);
    }

    public string ToHex() => Convert.ToHexStringLower(_bytes);

    public string ToBase64() => Convert.ToBase64String(_bytes);

    public override string ToString() => Prefix + ToHex();

    public bool Equals(SigningPublicKey? other) => other is not null && CryptographicOperations.FixedTimeEquals(_bytes, other._bytes);

    public override bool Equals(object? obj) => Equals(obj as SigningPublicKey);

    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);
}
