using System.Security.Cryptography;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Protocol.WireGuard;

/// <summary>
/// The responder's entry point: our identity, the peers we accept (by static public key) and the
/// cookie checker. An initiation names its sender only inside the encrypted static field, so it is
/// decrypted here before the peer's <see cref="NoiseHandshake"/> takes over. Not thread-safe; owned by
/// the handshake stage.
/// </summary>
public sealed class HandshakeTable
{
    private readonly RandomNumberGenerator _random;
    private readonly Dictionary<NodeKey, NoiseHandshake> _peers = [];

    /// <summary>Accepts handshakes for <paramref name="local"/>; ephemerals, secrets and nonces come from <paramref name="random"/>.</summary>
    public HandshakeTable(LocalIdentity local, RandomNumberGenerator random)
    {
        Local = local;
        _random = random;
        Cookies = new CookieChecker(local, random);
    }

    /// <summary>Our identity.</summary>
    public LocalIdentity Local { get; }

    /// <summary>mac1/mac2 checks and cookie replies for messages addressed to us.</summary>
    public CookieChecker Cookies { get; }

    /// <summary>Number of peers.</summary>
    public int Count => _peers.Count;

    /// <summary>Adds (or replaces) a peer and returns its handshake.</summary>
    public NoiseHandshake AddPeer(NodeKey remote, PresharedKey? presharedKey = null)
    {
        if (_peers.Remove(remote, out var old))
        {
            old.Dispose();
        }

        var handshake = new NoiseHandshake(Local, remote, presharedKey ?? PresharedKey.None, _random);
        _peers[remote] = handshake;
        return handshake;
    }

    /// <summary>Removes a peer; later initiations from it are <see cref="HandshakeStatus.UnknownPeer"/>.</summary>
    public bool RemovePeer(NodeKey remote)
    {
        if (!_peers.Remove(remote, out var handshake))
        {
            return false;
        }

        handshake.Dispose();
        return true;
    }

    /// <summary>The handshake with <paramref name="remote"/>, if it is a peer.</summary>
    public bool TryGetPeer(NodeKey remote, out NoiseHandshake? handshake) => _peers.TryGetValue(remote, out handshake);

    /// <summary>
    /// Consumes a 148-byte initiation: mac1, then the initiator's static key, then the peer's timestamp.
    /// On <see cref="HandshakeStatus.Accepted"/>, <paramref name="peer"/> is in
    /// <see cref="HandshakeState.InitiationConsumed"/>; on anything else no state changed. Never throws on input.
    /// </summary>
    public HandshakeStatus ConsumeInitiation(ReadOnlySpan<byte> datagram, DateTimeOffset now, out NoiseHandshake? peer)
    {
        peer = null;
        if (!HandshakeInitiation.TryParse(datagram, out var initiation))
        {
            return HandshakeStatus.Malformed;
        }

        if (!Local.CheckMac1(datagram))
        {
            return HandshakeStatus.InvalidMac1;
        }

        Span<byte> ck = stackalloc byte[Blake2s.HashSize];
        Span<byte> h = stackalloc byte[Blake2s.HashSize];
        Span<byte> key = stackalloc byte[Blake2s.HashSize];
        Span<byte> remoteStatic = stackalloc byte[NodeKey.Size];
        try
        {
            NoiseProtocol.InitialChainKey.CopyTo(ck);
            Blake2s.Hash(NoiseProtocol.InitialHash, Local.PublicKey.Bytes, h);
            NoiseKdf.Kdf1(ck, initiation.Ephemeral, ck);
            NoiseHandshake.MixHash(h, initiation.Ephemeral);
            if (!Local.StaticKey.TryAgree(initiation.Ephemeral, key))
            {
                return HandshakeStatus.InvalidKey;
            }

            NoiseKdf.Kdf2(ck, key, ck, key);
            if (!WireGuardAead.TryOpen(key, 0, initiation.EncryptedStatic, h, remoteStatic))
            {
                return HandshakeStatus.DecryptionFailed;
            }

            NoiseHandshake.MixHash(h, initiation.EncryptedStatic);
            if (!_peers.TryGetValue(NodeKey.FromBytes(remoteStatic), out var handshake))
            {
                return HandshakeStatus.UnknownPeer;
            }

            var status = handshake.CompleteInitiation(initiation, ck, h, now);
            peer = status == HandshakeStatus.Accepted ? handshake : null;
            return status;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ck);
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
