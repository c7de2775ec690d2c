using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Protocol.WireGuard;

/// <summary>
/// Responder side of WireGuard's DoS mitigation (whitepaper §5.3, §5.4.7). mac1 proves the sender knows
/// our public key; under load, mac2 must additionally be keyed with a cookie bound to the sender's address:
/// <code>
/// cookie = MAC(secret, source address bytes || source port (u16 LE))   secret rotates every 120 s
/// mac2   = MAC(cookie, message bytes before mac2)
/// reply  = XAEAD(HASH(LABEL_COOKIE || our public key), random 24-byte nonce, cookie, mac1 of the message)
/// </code>
/// Not thread-safe; owned by the handshake stage.
/// </summary>
public sealed class CookieChecker
{
    private readonly LocalIdentity _local;
    private readonly RandomNumberGenerator _random;
    private readonly byte[] _secret = new byte[32];
    private DateTimeOffset _secretSetAt = DateTimeOffset.MinValue;

    /// <summary>Checks messages addressed to <paramref name="local"/>; secrets and nonces come from <paramref name="random"/>.</summary>
    public CookieChecker(LocalIdentity local, RandomNumberGenerator random)
    {
        _local = local;
        _random = random;
    }

    /// <summary>The mac checks in the order the receive loop needs them.</summary>
    public MacVerdict Check(ReadOnlySpan<byte> message, IPEndPoint source, bool underLoad, DateTimeOffset now)
    {
        if (!_local.CheckMac1(message))
        {
            return MacVerdict.Drop;
        }

        return !underLoad || CheckMac2(message, source, now) ? MacVerdict.Process : MacVerdict.SendCookieReply;
    }

    /// <summary>True when mac2 is keyed with the current cookie for <paramref name="source"/>.</summary>
    public bool CheckMac2(ReadOnlySpan<byte> message, IPEndPoint source, DateTimeOffset now)
    {
        if ((message.Length != HandshakeInitiation.Size && message.Length != HandshakeResponse.Size) || now - _secretSetAt >= WireGuardLimits.CookieRefreshTime)
        {
            return false;
        }

        Span<byte> cookie = stackalloc byte[Blake2s.MacSize];
        Span<byte> expected = stackalloc byte[Blake2s.MacSize];
        ComputeCookie(source, cookie);
        var mac2Offset = message.Length - Blake2s.MacSize;
        Blake2s.Mac(cookie, message[..mac2Offset], expected);
        return CryptographicOperations.FixedTimeEquals(expected, message[mac2Offset..]);
    }

    /// <summary>
    /// Writes a 64-byte cookie reply to <paramref name="message"/> (a handshake initiation or response from
    /// <paramref name="source"/>), rotating the secret first if it is older than 120 s.
    /// </summary>
    public bool TryCreateReply(ReadOnlySpan<byte> message, IPEndPoint source, DateTimeOffset now, Span<byte> destination, out int written)
    {
        written = 0;
        if ((message.Length != HandshakeInitiation.Size && message.Length != HandshakeResponse.Size) || destination.Length < CookieReply.Size)
        {
            return false;
        }

        if (now - _secretSetAt >= WireGuardLimits.CookieRefreshTime)
        {
            _random.GetBytes(_secret);
            _secretSetAt = now;
        }

        Span<byte> cookie = stackalloc byte[Blake2s.MacSize];
        Span<byte> nonce = stackalloc byte[CookieAead.NonceSize];
        Span<byte> encrypted = stackalloc byte[Blake2s.MacSize + CookieAead.TagSize];
        ComputeCookie(source, cookie);
        _random.GetBytes(nonce);
        var mac1 = message.Slice(message.Length - (2 * Blake2s.MacSize), Blake2s.MacSize);
        CookieAead.Seal(_local.CookieKey, nonce, cookie, mac1, encrypted);
        var senderIndex = BinaryPrimitives.ReadUInt32LittleEndian(message[4..]);
        return new CookieReply(senderIndex, nonce, encrypted).TryWrite(destination, out written);
    }

    private void ComputeCookie(IPEndPoint source, Span<byte> cookie)
    {
        Span<byte> address = stackalloc byte[18];
        if (!source.Address.TryWriteBytes(address, out var length))
        {
            throw new ArgumentException($"cookie: cannot encode source address {source}", nameof(source));
        }

        BinaryPrimitives.WriteUInt16LittleEndian(address[length..], (ushort)source.Port);
        Blake2s.Mac(_secret, address[..(length + 2)], cookie);
    }
}
