using System.Security.Cryptography;

namespace HamachiCloud.Protocol.Crypto;

/// <summary>
/// An X25519 public key: a device's WireGuard static key, or an ephemeral handshake key.
/// Text forms: <c>nodekey:&lt;64 lowercase hex&gt;</c> (ours) and standard base64 (WireGuard's <c>wg</c> tools).
/// Immutable; equality is by value.
/// </summary>
public sealed class NodeKey : IEquatable<NodeKey>
{
    /// <summary>Length of the raw key in bytes.</summary>
    public const int Size = 32;

    private const string Prefix = "nodekey:";
    private readonly byte[] _bytes;

    private NodeKey(byte[] bytes) => _bytes = bytes;

    /// <summary>The 32 raw key bytes (little-endian u-coordinate as on the wire).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Copies a 32-byte raw key.</summary>
    /// <exception cref="ArgumentException">The span is not 32 bytes.</exception>
    public static NodeKey FromBytes(ReadOnlySpan<byte> raw)
    {
        if (raw.Length != Size)
        {
            throw new ArgumentException($"node key: length {raw.Length} != {Size}", nameof(raw));
        }

        return new NodeKey(raw.ToArray());
    }

    /// <summary>Parses <c>nodekey:&lt;hex&gt;</c>.</summary>
    public static bool TryParse(string? text, out NodeKey? key)
    {
        key = null;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal) || text.Length != Prefix.Length + (2 * Size))
        {
            return false;
        }

        Span<byte> raw = stackalloc byte[Size];
        if (Convert.FromHexString(text.AsSpan(Prefix.Length), raw, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            return false;
        }

        key = new NodeKey(raw.ToArray());
        return true;
    }

    /// <summary>Parses <c>nodekey:&lt;hex&gt;</c> or throws a <see cref="FormatException"/> naming the input.</summary>
    public static NodeKey Parse(string text) =>
        TryParse(text, out var key) ? key! : throw new FormatException($"parse node key '{text}': expected nodekey:<64 hex>");

    /// <summary>Parses the WireGuard base64 form (44 characters).</summary>
    public static bool TryParseBase64(string? text, out NodeKey? key)
    {
        key = null;
        Span<byte> raw = stackalloc byte[Size + 2];
        if (text is null || !Convert.TryFromBase64String(text, raw, out var written) || written != Size)
        {
            return false;
        }

        key = new NodeKey(raw[..Size].ToArray());
        return true;
    }

    /// <summary>Formats as WireGuard base64.</summary>
    public string ToBase64() => Convert.ToBase64String(_bytes);

    /// <summary>Formats as <c>nodekey:&lt;hex&gt;</c>.</summary>
    public override string ToString() => Prefix + Convert.ToHexStringLower(_bytes);

    /// <inheritdoc />
    public bool Equals(NodeKey? other) => other is not null && CryptographicOperations.FixedTimeEquals(_bytes, other._bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as NodeKey);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0) ^ BitConverter.ToInt32(_bytes, 28);
}
