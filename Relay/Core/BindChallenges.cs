using System.Buffers.Binary;
using System.Security.Cryptography;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Relay;

namespace HamachiCloud.Relay.Core;

/// <summary>
/// The relay's side of <see cref="RelayBindProof"/>: an X25519 key and a cookie secret, both random per process
/// and never sent anywhere but the public key; stateless cookies bound to (source, fromNodeKey, toNodeKey) and
/// valid for <see cref="CookieLifetime"/>; proof checks. Not thread-safe; owned by <see cref="RelayCore"/> under
/// its lock.
/// <code>
/// cookie = issuedAt i64 BE (unix ms) | HMAC-SHA256(secret, "hamachi relay cookie v1" | issuedAt | source | from | to)[0..16]
/// </code>
/// source is <see cref="RelaySource.WriteIdentity"/>: address, port, family, scope id and WebSocket connection id,
/// so a cookie issued to one address or connection is worthless from any other.
/// </summary>
internal sealed class BindChallenges : IDisposable
{
    /// <summary>How long a Challenge can be answered (agents answer at once; this covers a slow round trip).</summary>
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromSeconds(10);

    private const int MacSize = RelayBindProof.CookieSize - 8;
    private static readonly byte[] Label = "hamachi relay cookie v1"u8.ToArray();
    private readonly NodePrivateKey _key;
    private readonly byte[] _secret = new byte[32];

    public BindChallenges(RandomNumberGenerator random)
    {
        _key = NodePrivateKey.Generate(random);
        random.GetBytes(_secret);
    }

    /// <summary>The relay's X25519 public key (sent in every Challenge).</summary>
    public ReadOnlySpan<byte> PublicKey => _key.PublicKey.Bytes;

    /// <summary>A cookie for <paramref name="source"/> and the pair, issued at <paramref name="now"/>.</summary>
    public void WriteCookie(RelaySource source, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, DateTimeOffset now, Span<byte> cookie)
    {
        var issuedAt = now.ToUnixTimeMilliseconds();
        BinaryPrimitives.WriteInt64BigEndian(cookie, issuedAt);
        Mac(source, from, to, issuedAt, cookie.Slice(8, MacSize));
    }

    /// <summary>Checks a cookie echoed from <paramref name="source"/> for the pair at <paramref name="now"/>; its issue time on success.</summary>
    public CookieStatus CheckCookie(RelaySource source, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, ReadOnlySpan<byte> cookie, DateTimeOffset now, out long issuedAtMs)
    {
        issuedAtMs = 0;
        if (cookie.Length != RelayBindProof.CookieSize)
        {
            return CookieStatus.Bad;
        }

        var issuedAt = BinaryPrimitives.ReadInt64BigEndian(cookie);
        Span<byte> expected = stackalloc byte[MacSize];
        Mac(source, from, to, issuedAt, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, cookie.Slice(8, MacSize)))
        {
            return CookieStatus.Bad;
        }

        var nowMs = now.ToUnixTimeMilliseconds();
        if (issuedAt > nowMs || nowMs - issuedAt >= (long)CookieLifetime.TotalMilliseconds)
        {
            return CookieStatus.Expired;
        }

        issuedAtMs = issuedAt;
        return CookieStatus.Valid;
    }

    /// <summary>True when <paramref name="proof"/> shows possession of the private key of <paramref name="fromNodeKey"/> for this cookie and token.</summary>
    public bool CheckProof(ReadOnlySpan<byte> fromNodeKey, ReadOnlySpan<byte> cookie, ReadOnlySpan<byte> token, ReadOnlySpan<byte> proof)
    {
        Span<byte> key = stackalloc byte[RelayBindProof.KeySize];
        try
        {
            return RelayBindProof.TryDeriveRelayKey(_key, fromNodeKey, key) && RelayBindProof.Verify(key, cookie, token, proof);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    public void Dispose()
    {
        _key.Dispose();
        CryptographicOperations.ZeroMemory(_secret);
    }

    private void Mac(RelaySource source, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, long issuedAt, Span<byte> mac)
    {
        Span<byte> message = stackalloc byte[Label.Length + 8 + RelaySource.IdentitySize + (2 * RelayFrame.KeySize)];
        Label.CopyTo(message);
        var at = Label.Length;
        BinaryPrimitives.WriteInt64BigEndian(message[at..], issuedAt);
        at += 8;
        source.WriteIdentity(message[at..]);
        at += RelaySource.IdentitySize;
        from.CopyTo(message[at..]);
        to.CopyTo(message[(at + RelayFrame.KeySize)..]);
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_secret, message, full);
        full[..MacSize].CopyTo(mac);
    }
}

/// <summary>Outcome of <see cref="BindChallenges.CheckCookie"/>.</summary>
internal enum CookieStatus
{
    Valid,

    /// <summary>Not made by this relay process for this source and pair (forged, replayed from elsewhere, or the relay restarted).</summary>
    Bad,

    /// <summary>Made for this source and pair, but older than <see cref="BindChallenges.CookieLifetime"/>.</summary>
    Expired,
}
