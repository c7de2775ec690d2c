using System.Security.Cryptography;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Protocol.Relay;

/// <summary>
/// The proof that a Bind comes from the holder of the token's fromNodeKey, for the source the relay sees it from.
/// A relay token is a bearer credential that travels in clear, so the token alone must not move a binding: a Bind
/// from a source that does not hold the binding gets a Challenge, and only a BindProof from that same source
/// makes or moves it.
/// <code>
/// Challenge (relay → agent): toNodeKey | R (relay X25519 public key, 32) | cookie (24)
///   cookie = issuedAt i64 BE (unix ms) | mac (16), made and checked by the relay alone: stateless, bound
///   to the source address (or WebSocket connection) and the key pair, valid for a few seconds.
/// BindProof (agent → relay): token (161) | cookie (24) | proof (16)
///   k     = HMAC-SHA256(key: X25519(nodePrivate, R), "hamachi relay bind v1" | fromNodeKey | R)
///   proof = HMAC-SHA256(k, cookie | token)[0..16]
/// </code>
/// The relay derives the same k from X25519(relayPrivate, fromNodeKey): only the node key's owner can compute it
/// (an X25519 key cannot sign; a Diffie-Hellman with the relay's key proves possession instead, as Noise's static
/// keys do). The derivation is labelled, so k is never a WireGuard key. Pure; allocation-free apart from the
/// X25519 call.
/// </summary>
public static class RelayBindProof
{
    /// <summary>issuedAt (8) | mac (16).</summary>
    public const int CookieSize = 24;

    public const int ProofSize = 16;

    /// <summary>Size of the derived proof key k.</summary>
    public const int KeySize = 32;

    private static ReadOnlySpan<byte> Label => "hamachi relay bind v1"u8;

    /// <summary>The agent's side: k from its node private key and the relay key of a Challenge. False for an invalid or low-order relay key.</summary>
    public static bool TryDeriveAgentKey(NodePrivateKey node, ReadOnlySpan<byte> relayKey, Span<byte> key) =>
        TryDerive(node, relayKey, node.PublicKey.Bytes, relayKey, key);

    /// <summary>The relay's side: k from its private key and the token's fromNodeKey. False for an invalid or low-order node key.</summary>
    public static bool TryDeriveRelayKey(NodePrivateKey relay, ReadOnlySpan<byte> fromNodeKey, Span<byte> key) =>
        TryDerive(relay, fromNodeKey, fromNodeKey, relay.PublicKey.Bytes, key);

    /// <summary>proof = HMAC-SHA256(k, cookie | token)[0..16] into <paramref name="proof"/> (16 bytes).</summary>
    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> cookie, ReadOnlySpan<byte> token, Span<byte> proof)
    {
        if (key.Length != KeySize || cookie.Length != CookieSize || token.Length != RelayToken.Size || proof.Length < ProofSize)
        {
            throw new ArgumentException($"relay bind proof: key {key.Length}/{KeySize}, cookie {cookie.Length}/{CookieSize}, token {token.Length}/{RelayToken.Size}, proof {proof.Length}/{ProofSize} bytes");
        }

        Span<byte> message = stackalloc byte[CookieSize + RelayToken.Size];
        cookie.CopyTo(message);
        token.CopyTo(message[CookieSize..]);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, message, mac);
        mac[..ProofSize].CopyTo(proof);
    }

    /// <summary>True when <paramref name="proof"/> is the proof for the cookie and token under k (constant time).</summary>
    public static bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> cookie, ReadOnlySpan<byte> token, ReadOnlySpan<byte> proof)
    {
        if (proof.Length != ProofSize)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[ProofSize];
        Compute(key, cookie, token, expected);
        return CryptographicOperations.FixedTimeEquals(expected, proof);
    }

    private static bool TryDerive(NodePrivateKey own, ReadOnlySpan<byte> otherPublic, ReadOnlySpan<byte> nodeKey, ReadOnlySpan<byte> relayKey, Span<byte> key)
    {
        if (key.Length < KeySize || nodeKey.Length != NodeKey.Size || relayKey.Length != NodeKey.Size)
        {
            return false;
        }

        Span<byte> shared = stackalloc byte[NodePrivateKey.Size];
        try
        {
            if (!own.TryAgree(otherPublic, shared))
            {
                return false;
            }

            Span<byte> info = stackalloc byte[Label.Length + (2 * NodeKey.Size)];
            Label.CopyTo(info);
            nodeKey.CopyTo(info[Label.Length..]);
            relayKey.CopyTo(info[(Label.Length + NodeKey.Size)..]);
            HMACSHA256.HashData(shared, info, key[..KeySize]);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }
}
