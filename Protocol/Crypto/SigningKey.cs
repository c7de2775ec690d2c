using NSec.Cryptography;

namespace HamachiCloud.Protocol.Crypto;

/// <summary>
/// An Ed25519 private key: a device's machine key (control-plane login) or the server's identity
/// key (signs login transcripts and network maps). Never leaves the machine that made it.
/// </summary>
public sealed class SigningKey : IDisposable
{
    public const int Size = 32;

    private readonly Key _key;

    private SigningKey(Key key)
    {
        _key = key;
        PublicKey = SigningPublicKey.FromBytes(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public SigningPublicKey PublicKey { get; }

    public static SigningKey Generate() =>
        new(Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>From the 32-byte seed (the raw private key).</summary>
    public static SigningKey FromBytes(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Size)
        {
            throw new ArgumentException($"an Ed25519 private key is {Size} bytes, got {seed.Length}", nameof(seed));
        }

        return new SigningKey(Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));
    }

    /// <summary>The 32-byte seed, for storing in a 0600 file.</summary>
    public byte[] ToBytes() => _key.Export(KeyBlobFormat.RawPrivateKey);

    public byte[] Sign(ReadOnlySpan<byte> message) => SignatureAlgorithm.Ed25519.Sign(_key, message);

    public void Dispose() => _key.Dispose();
}
