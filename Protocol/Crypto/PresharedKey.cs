using System.Security.Cryptography;

namespace HamachiCloud.Protocol.Crypto;

/// <summary>
/// WireGuard's optional symmetric preshared key (Q in the whitepaper), mixed into the handshake for
/// post-quantum resistance. <see cref="None"/> is 32 zero bytes, which is what "no PSK" means on the wire.
/// </summary>
public sealed class PresharedKey
{
    /// <summary>Length in bytes.</summary>
    public const int Size = 32;

    private readonly byte[] _bytes;

    private PresharedKey(byte[] bytes) => _bytes = bytes;

    /// <summary>The all-zero key used when no PSK is configured.</summary>
    public static PresharedKey None { get; } = new(new byte[Size]);

    /// <summary>The raw key.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Copies 32 raw bytes.</summary>
    public static PresharedKey FromBytes(ReadOnlySpan<byte> raw) =>
        raw.Length == Size ? new PresharedKey(raw.ToArray()) : throw new ArgumentException($"preshared key: length {raw.Length} != {Size}", nameof(raw));

    /// <summary>Generates a key from the composition root's generator.</summary>
    public static PresharedKey Generate(RandomNumberGenerator random)
    {
        var bytes = new byte[Size];
        random.GetBytes(bytes);
        return new PresharedKey(bytes);
    }

    /// <summary>Parses the WireGuard base64 form.</summary>
    public static bool TryParseBase64(string? text, out PresharedKey? key)
    {
        key = null;
        Span<byte> raw = stackalloc byte[Size + 2];
        if (text is null || !Convert.TryFromBase64String(text, raw, out var written) || written != Size)
        {
            return false;
        }

        key = FromBytes(raw[..Size]);
        return true;
    }

    /// <summary>Formats as WireGuard base64.</summary>
    public string ToBase64() => Convert.ToBase64String(_bytes);

    /// <summary>Never prints key material.</summary>
    public override string ToString() => "presharedkey:<redacted>";
}
