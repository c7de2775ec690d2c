using System.Security.Cryptography;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Protocol.WireGuard;

/// <summary>
/// The Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s handshake with one peer (whitepaper §5.4), in either role.
/// Initiator: <see cref="TryCreateInitiation"/> → <see cref="ConsumeResponse"/> → <see cref="TryDeriveSession"/>.
/// Responder: <see cref="HandshakeTable.ConsumeInitiation"/> → <see cref="TryCreateResponse"/> → <see cref="TryDeriveSession"/>.
/// Every consume step verifies everything before it changes any state. Not thread-safe; owned by the
/// handshake stage (wireguard-go guards the same state with a per-peer mutex).
/// </summary>
public sealed class NoiseHandshake : IDisposable
{
    private const int KeySize = 32;
    private static readonly TimeSpan InitiationFloodInterval = TimeSpan.FromMilliseconds(20);

    private readonly LocalIdentity _local;
    private readonly PresharedKey _presharedKey;
    private readonly RandomNumberGenerator _random;
    private readonly byte[] _staticStatic = new byte[KeySize];
    private readonly bool _staticStaticValid;
    private readonly byte[] _chainKey = new byte[KeySize];
    private readonly byte[] _hash = new byte[KeySize];
    private readonly byte[] _remoteEphemeral = new byte[KeySize];
    private NodePrivateKey? _ephemeral;
    private Tai64N? _lastTimestamp;
    private DateTimeOffset _lastInitiationConsumedAt = DateTimeOffset.MinValue;

    /// <summary>A handshake between <paramref name="local"/> and <paramref name="remote"/>; ephemerals come from <paramref name="random"/>.</summary>
    public NoiseHandshake(LocalIdentity local, NodeKey remote, PresharedKey presharedKey, RandomNumberGenerator random)
    {
        _local = local;
        _presharedKey = presharedKey;
        _random = random;
        RemoteStatic = remote;
        Cookies = new CookieGenerator(remote);
        _staticStaticValid = local.StaticKey.TryAgree(remote.Bytes, _staticStatic);
    }

    /// <summary>The peer's static public key.</summary>
    public NodeKey RemoteStatic { get; }

    /// <summary>mac1/mac2 for messages we send to this peer, and its cookie replies.</summary>
    public CookieGenerator Cookies { get; }

    /// <summary>Current state.</summary>
    public HandshakeState State { get; private set; }

    /// <summary>Our index for the session being negotiated.</summary>
    public uint LocalIndex { get; private set; }

    /// <summary>The peer's index for the session being negotiated.</summary>
    public uint RemoteIndex { get; private set; }

    /// <summary>The greatest initiation timestamp accepted from this peer, if any.</summary>
    public Tai64N? LastTimestamp => _lastTimestamp;

    /// <summary>Writes a 148-byte initiation with sender index <paramref name="senderIndex"/>, mac1 and (cookie permitting) mac2.</summary>
    public bool TryCreateInitiation(uint senderIndex, DateTimeOffset now, Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < HandshakeInitiation.Size || !_staticStaticValid)
        {
            return false;
        }

        Span<byte> ck = stackalloc byte[KeySize];
        Span<byte> h = stackalloc byte[KeySize];
        Span<byte> key = stackalloc byte[KeySize];
        Span<byte> encryptedStatic = stackalloc byte[NodeKey.Size + WireGuardAead.TagSize];
        Span<byte> timestamp = stackalloc byte[Tai64N.Size];
        Span<byte> encryptedTimestamp = stackalloc byte[Tai64N.Size + WireGuardAead.TagSize];
        Span<byte> noMac = stackalloc byte[Blake2s.MacSize];
        noMac.Clear();

        NoiseProtocol.InitialChainKey.CopyTo(ck);
        Blake2s.Hash(NoiseProtocol.InitialHash, RemoteStatic.Bytes, h);
        var ephemeral = NodePrivateKey.Generate(_random);
        var ephemeralPublic = ephemeral.PublicKey.Bytes;
        NoiseKdf.Kdf1(ck, ephemeralPublic, ck);
        MixHash(h, ephemeralPublic);
        if (!ephemeral.TryAgree(RemoteStatic.Bytes, key))
        {
            ephemeral.Dispose();
            return false;
        }

        NoiseKdf.Kdf2(ck, key, ck, key);
        WireGuardAead.Seal(key, 0, _local.PublicKey.Bytes, h, encryptedStatic);
        MixHash(h, encryptedStatic);
        NoiseKdf.Kdf2(ck, _staticStatic, ck, key);
        Tai64N.From(now).TryWrite(timestamp, out _);
        WireGuardAead.Seal(key, 0, timestamp, h, encryptedTimestamp);
        MixHash(h, encryptedTimestamp);

        new HandshakeInitiation(senderIndex, ephemeralPublic, encryptedStatic, encryptedTimestamp, noMac, noMac).TryWrite(destination, out written);
        Cookies.AddMacs(destination[..HandshakeInitiation.Size], now);

        ck.CopyTo(_chainKey);
        h.CopyTo(_hash);
        _ephemeral?.Dispose();
        _ephemeral = ephemeral;
        LocalIndex = senderIndex;
        State = HandshakeState.InitiationCreated;
        CryptographicOperations.ZeroMemory(ck);
        CryptographicOperations.ZeroMemory(key);
        return true;
    }

    /// <summary>Writes a 92-byte response to the initiation consumed last, with sender index <paramref name="senderIndex"/>.</summary>
    public bool TryCreateResponse(uint senderIndex, DateTimeOffset now, Span<byte> destination, out int written)
    {
        written = 0;
        if (State != HandshakeState.InitiationConsumed || destination.Length < HandshakeResponse.Size)
        {
            return false;
        }

        Span<byte> ck = stackalloc byte[KeySize];
        Span<byte> h = stackalloc byte[KeySize];
        Span<byte> key = stackalloc byte[KeySize];
        Span<byte> tau = stackalloc byte[KeySize];
        Span<byte> encryptedNothing = stackalloc byte[WireGuardAead.TagSize];
        Span<byte> noMac = stackalloc byte[Blake2s.MacSize];
        noMac.Clear();
        _chainKey.CopyTo(ck);
        _hash.CopyTo(h);

        var ephemeral = NodePrivateKey.Generate(_random);
        var ephemeralPublic = ephemeral.PublicKey.Bytes;
        NoiseKdf.Kdf1(ck, ephemeralPublic, ck);
        MixHash(h, ephemeralPublic);
        if (!ephemeral.TryAgree(_remoteEphemeral, key) || !MixDh(ck, key, ephemeral, RemoteStatic.Bytes))
        {
            ephemeral.Dispose();
            return false;
        }

        NoiseKdf.Kdf1(ck, key, ck);
        NoiseKdf.Kdf3(ck, _presharedKey.Bytes, ck, tau, key);
        MixHash(h, tau);
        WireGuardAead.Seal(key, 0, ReadOnlySpan<byte>.Empty, h, encryptedNothing);
        MixHash(h, encryptedNothing);

        new HandshakeResponse(senderIndex, RemoteIndex, ephemeralPublic, encryptedNothing, noMac, noMac).TryWrite(destination, out written);
        Cookies.AddMacs(destination[..HandshakeResponse.Size], now);
        ephemeral.Dispose();

        ck.CopyTo(_chainKey);
        h.CopyTo(_hash);
        LocalIndex = senderIndex;
        State = HandshakeState.ResponseCreated;
        CryptographicOperations.ZeroMemory(ck);
        CryptographicOperations.ZeroMemory(key);
        CryptographicOperations.ZeroMemory(tau);
        return true;
    }

    /// <summary>Consumes the peer's response to our initiation (mac1 checked first).</summary>
    public HandshakeStatus ConsumeResponse(ReadOnlySpan<byte> datagram)
    {
        if (!HandshakeResponse.TryParse(datagram, out var response))
        {
            return HandshakeStatus.Malformed;
        }

        if (!_local.CheckMac1(datagram))
        {
            return HandshakeStatus.InvalidMac1;
        }

        if (State != HandshakeState.InitiationCreated || _ephemeral is null)
        {
            return HandshakeStatus.InvalidState;
        }

        if (response.ReceiverIndex != LocalIndex)
        {
            return HandshakeStatus.UnexpectedIndex;
        }

        Span<byte> ck = stackalloc byte[KeySize];
        Span<byte> h = stackalloc byte[KeySize];
        Span<byte> key = stackalloc byte[KeySize];
        Span<byte> tau = stackalloc byte[KeySize];
        _chainKey.CopyTo(ck);
        _hash.CopyTo(h);

        NoiseKdf.Kdf1(ck, response.Ephemeral, ck);
        MixHash(h, response.Ephemeral);
        if (!_ephemeral.TryAgree(response.Ephemeral, key) || !MixDh(ck, key, _local.StaticKey, response.Ephemeral))
        {
            return HandshakeStatus.InvalidKey;
        }

        NoiseKdf.Kdf1(ck, key, ck);
        NoiseKdf.Kdf3(ck, _presharedKey.Bytes, ck, tau, key);
        MixHash(h, tau);
        if (!WireGuardAead.TryOpen(key, 0, response.EncryptedNothing, h, Span<byte>.Empty))
        {
            return HandshakeStatus.DecryptionFailed;
        }

        MixHash(h, response.EncryptedNothing);
        ck.CopyTo(_chainKey);
        h.CopyTo(_hash);
        RemoteIndex = response.SenderIndex;
        State = HandshakeState.ResponseConsumed;
        _ephemeral.Dispose();
        _ephemeral = null;
        CryptographicOperations.ZeroMemory(ck);
        CryptographicOperations.ZeroMemory(key);
        return HandshakeStatus.Accepted;
    }

    /// <summary>
    /// Derives the transport keys once the handshake completed (after <see cref="ConsumeResponse"/> as
    /// initiator, after <see cref="TryCreateResponse"/> as responder) and zeroes the handshake state:
    /// <code>(T_send_i = T_recv_r, T_recv_i = T_send_r) = KDF2(C, ε)</code>
    /// </summary>
    public bool TryDeriveSession(DateTimeOffset now, out TransportSession? session)
    {
        session = null;
        var isInitiator = State == HandshakeState.ResponseConsumed;
        if (!isInitiator && State != HandshakeState.ResponseCreated)
        {
            return false;
        }

        Span<byte> first = stackalloc byte[KeySize];
        Span<byte> second = stackalloc byte[KeySize];
        NoiseKdf.Kdf2(_chainKey, ReadOnlySpan<byte>.Empty, first, second);
        session = isInitiator
            ? new TransportSession(first, second, LocalIndex, RemoteIndex, isInitiator: true, now)
            : new TransportSession(second, first, LocalIndex, RemoteIndex, isInitiator: false, now);
        CryptographicOperations.ZeroMemory(first);
        CryptographicOperations.ZeroMemory(second);
        Clear();
        return true;
    }

    /// <summary>Forgets any handshake in progress (keeps the replay timestamp and cookie).</summary>
    public void Clear()
    {
        CryptographicOperations.ZeroMemory(_chainKey);
        CryptographicOperations.ZeroMemory(_hash);
        CryptographicOperations.ZeroMemory(_remoteEphemeral);
        _ephemeral?.Dispose();
        _ephemeral = null;
        State = HandshakeState.Zeroed;
    }

    /// <inheritdoc />
    public void Dispose() => Clear();

    /// <summary>
    /// The responder half of consuming an initiation, after the static key was decrypted and matched to
    /// this peer: checks the timestamp and commits the state. Called by <see cref="HandshakeTable"/>.
    /// </summary>
    internal HandshakeStatus CompleteInitiation(in HandshakeInitiation initiation, Span<byte> ck, Span<byte> h, DateTimeOffset now)
    {
        if (!_staticStaticValid)
        {
            return HandshakeStatus.InvalidKey;
        }

        Span<byte> key = stackalloc byte[KeySize];
        Span<byte> timestampBytes = stackalloc byte[Tai64N.Size];
        NoiseKdf.Kdf2(ck, _staticStatic, ck, key);
        if (!WireGuardAead.TryOpen(key, 0, initiation.EncryptedTimestamp, h, timestampBytes))
        {
            return HandshakeStatus.DecryptionFailed;
        }

        if (!Tai64N.TryParse(timestampBytes, out var timestamp))
        {
            return HandshakeStatus.Malformed;
        }

        if (_lastTimestamp is { } last && !timestamp.IsAfter(last))
        {
            return HandshakeStatus.ReplayedTimestamp;
        }

        if (now - _lastInitiationConsumedAt < InitiationFloodInterval)
        {
            return HandshakeStatus.Flood;
        }

        MixHash(h, initiation.EncryptedTimestamp);
        ck.CopyTo(_chainKey);
        h.CopyTo(_hash);
        initiation.Ephemeral.CopyTo(_remoteEphemeral);
        _ephemeral?.Dispose();
        _ephemeral = null;
        _lastTimestamp = timestamp;
        _lastInitiationConsumedAt = now;
        RemoteIndex = initiation.SenderIndex;
        State = HandshakeState.InitiationConsumed;
        CryptographicOperations.ZeroMemory(key);
        return HandshakeStatus.Accepted;
    }

    /// <summary>h = HASH(h || data).</summary>
    internal static void MixHash(Span<byte> h, ReadOnlySpan<byte> data) => Blake2s.Hash(h, data, h);

    /// <summary>ck = KDF1(ck, previous DH in <paramref name="dh"/>), then <paramref name="dh"/> = DH(priv, pub).</summary>
    private static bool MixDh(Span<byte> ck, Span<byte> dh, NodePrivateKey privateKey, ReadOnlySpan<byte> publicKey)
    {
        NoiseKdf.Kdf1(ck, dh, ck);
        return privateKey.TryAgree(publicKey, dh);
    }
}
