using System.Security.Cryptography;
using System.Text;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Protocol.Disco;

/// <summary>
/// Seals and opens disco messages between node keys:
/// <code>
///  0           4                    36            48
///  +-----------+--------------------+-------------+---------------------------------+
///  | "HCD" 01  | senderNodeKey (32) | nonce (12)  | ChaCha20-Poly1305(plaintext)+tag|
///  +-----------+--------------------+-------------+---------------------------------+
///  key = BLAKE2s-256("hamachi disco v1" || X25519(sender, receiver))   (the same both ways)
///  aad = bytes 0..36 (magic and sender key)
/// </code>
/// The plaintext is a <see cref="DiscoMessage"/>. Keys are cached per peer (one X25519 per peer,
/// not per message). Thread-safe. Owns nothing but the cache; the caller owns the private key.
/// </summary>
public sealed class DiscoBox
{
    /// <summary>Magic prefix and version: "HCD" then 1.</summary>
    public static ReadOnlySpan<byte> Magic => "HCD\u0001"u8;

    /// <summary>Magic length.</summary>
    public const int MagicSize = 4;

    /// <summary>Nonce length.</summary>
    public const int NonceSize = 12;

    /// <summary>Poly1305 tag length.</summary>
    public const int TagSize = 16;

    /// <summary>Bytes before the ciphertext.</summary>
    public const int HeaderSize = MagicSize + NodeKey.Size + NonceSize;

    /// <summary>Smallest well-formed sealed message (an empty-bodied ping).</summary>
    public const int MinimumSize = HeaderSize + DiscoMessage.HeaderSize + TagSize;

    /// <summary>Largest sealed message this codec accepts.</summary>
    public const int MaximumSize = 1280;

    /// <summary>How many peer keys are kept before the cache is emptied (a bound against churn).</summary>
    public const int MaxCachedKeys = 4096;

    private static readonly byte[] KeyLabel = Encoding.ASCII.GetBytes("hamachi disco v1");

    private readonly NodePrivateKey _privateKey;
    private readonly RandomNumberGenerator _random;
    private readonly Lock _gate = new();
    private readonly Dictionary<NodeKey, byte[]?> _keys = [];

    /// <summary>A box for <paramref name="privateKey"/>; nonces come from <paramref name="random"/>.</summary>
    public DiscoBox(NodePrivateKey privateKey, RandomNumberGenerator random)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        ArgumentNullException.ThrowIfNull(random);
        _privateKey = privateKey;
        _random = random;
        PublicKey = privateKey.PublicKey;
    }

    /// <summary>Our node key (the sender key of everything we seal).</summary>
    public NodeKey PublicKey { get; }

    /// <summary>True when <paramref name="datagram"/> starts with the disco magic.</summary>
    public static bool LooksLikeDisco(ReadOnlySpan<byte> datagram) => datagram.Length >= MagicSize && datagram[..MagicSize].SequenceEqual(Magic);

    /// <summary>The sealed size of <paramref name="message"/>.</summary>
    public static int SealedSize(DiscoMessage message) => HeaderSize + message.Size + TagSize;

    /// <summary>
    /// Seals <paramref name="message"/> for <paramref name="receiver"/> into <paramref name="destination"/>.
    /// False when the destination is too small, the message invalid, or the receiver key unusable.
    /// </summary>
    public bool TrySeal(NodeKey receiver, DiscoMessage message, Span<byte> destination, out int written)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        written = 0;
        var size = SealedSize(message);
        if (size > MaximumSize || destination.Length < size || KeyFor(receiver) is not { } key)
        {
            return false;
        }

        Span<byte> plaintext = stackalloc byte[message.Size];
        if (!message.TryWrite(plaintext, out _))
        {
            return false;
        }

        Magic.CopyTo(destination);
        PublicKey.Bytes.CopyTo(destination[MagicSize..]);
        var nonce = destination.Slice(MagicSize + NodeKey.Size, NonceSize);
        _random.GetBytes(nonce);
        using var cipher = new ChaCha20Poly1305(key);
        cipher.Encrypt(nonce, plaintext, destination.Slice(HeaderSize, plaintext.Length),
            destination.Slice(HeaderSize + plaintext.Length, TagSize), destination[..(MagicSize + NodeKey.Size)]);
        written = size;
        return true;
    }

    /// <summary>
    /// Opens a sealed disco datagram: its sender and message. False (nothing learnt) on a bad magic,
    /// bad length, our own sender key, a key that fails X25519, a wrong tag or an unparsable plaintext.
    /// Never throws on input.
    /// </summary>
    public bool TryOpen(ReadOnlySpan<byte> datagram, out NodeKey? sender, out DiscoMessage? message)
    {
        sender = null;
        message = null;
        if (datagram.Length < MinimumSize || datagram.Length > MaximumSize || !LooksLikeDisco(datagram))
        {
            return false;
        }

        var senderKey = NodeKey.FromBytes(datagram.Slice(MagicSize, NodeKey.Size));
        if (senderKey.Equals(PublicKey) || KeyFor(senderKey) is not { } key)
        {
            return false;
        }

        var ciphertextLength = datagram.Length - HeaderSize - TagSize;
        Span<byte> plaintext = stackalloc byte[ciphertextLength];
        using var cipher = new ChaCha20Poly1305(key);
        try
        {
            cipher.Decrypt(datagram.Slice(MagicSize + NodeKey.Size, NonceSize), datagram.Slice(HeaderSize, ciphertextLength),
                datagram[^TagSize..], plaintext, datagram[..(MagicSize + NodeKey.Size)]);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        if (!DiscoMessage.TryParse(plaintext, out message))
        {
            return false;
        }

        sender = senderKey;
        return true;
    }

    /// <summary>Forgets the cached key of <paramref name="peer"/> (a removed peer).</summary>
    public void Forget(NodeKey peer)
    {
        lock (_gate)
        {
            _keys.Remove(peer);
        }
    }

    /// <summary>Derives the shared key of <paramref name="privateKey"/> and <paramref name="peer"/>; null when X25519 fails.</summary>
    public static byte[]? DeriveKey(NodePrivateKey privateKey, NodeKey peer)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        ArgumentNullException.ThrowIfNull(peer);
        Span<byte> shared = stackalloc byte[32];
        if (!privateKey.TryAgree(peer.Bytes, shared))
        {
            return null;
        }

        var key = new byte[32];
        Blake2s.Hash(KeyLabel, shared, key);
        CryptographicOperations.ZeroMemory(shared);
        return key;
    }

    private byte[]? KeyFor(NodeKey peer)
    {
        lock (_gate)
        {
            if (_keys.TryGetValue(peer, out var cached))
            {
                return cached;
            }
        }

        var key = DeriveKey(_privateKey, peer);
        lock (_gate)
        {
            if (_keys.Count >= MaxCachedKeys)
            {
                _keys.Clear();
            }

            _keys[peer] = key;
        }

        return key;
    }
}
