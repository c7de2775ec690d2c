using System.Security.Cryptography;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Protocol.WireGuard;

/// <summary>
/// One WireGuard session (a "keypair" in wireguard-go): the two transport keys from a completed
/// handshake, the send counter and the receive replay window. Sealing is thread-safe (the counter is
/// taken atomically and the cipher, which is not thread-safe, is used under a lock; true parallel
/// encryption will want one cipher per worker); opening is not — it belongs to the inbound stage.
/// A responder should not send on a session before <see cref="IsConfirmed"/> (the initiator's first
/// packet confirms the keys), as wireguard-go does.
/// </summary>
public sealed class TransportSession : IDisposable
{
    private readonly ChaCha20Poly1305 _send;
    private readonly ChaCha20Poly1305 _receive;
    private readonly ReplayWindow _replay = new();
    private readonly Lock _sendLock = new();
    private ulong _nextSendCounter;
    private volatile bool _confirmed;

    /// <summary>A session with the given keys (32 bytes each) and indices, created at <paramref name="createdAt"/>.</summary>
    public TransportSession(ReadOnlySpan<byte> sendKey, ReadOnlySpan<byte> receiveKey, uint localIndex, uint remoteIndex, bool isInitiator, DateTimeOffset createdAt)
        : this(sendKey, receiveKey, localIndex, remoteIndex, isInitiator, createdAt, nextSendCounter: 0)
    {
    }

    /// <summary>As the public constructor, starting the send counter at <paramref name="nextSendCounter"/> (tests of counter limits).</summary>
    internal TransportSession(ReadOnlySpan<byte> sendKey, ReadOnlySpan<byte> receiveKey, uint localIndex, uint remoteIndex, bool isInitiator, DateTimeOffset createdAt, ulong nextSendCounter)
    {
        _nextSendCounter = nextSendCounter;
        _send = new ChaCha20Poly1305(sendKey);
        _receive = new ChaCha20Poly1305(receiveKey);
        LocalIndex = localIndex;
        RemoteIndex = remoteIndex;
        IsInitiator = isInitiator;
        CreatedAt = createdAt;
        _confirmed = isInitiator;
    }

    /// <summary>Our index: the receiver index on packets the peer sends us.</summary>
    public uint LocalIndex { get; }

    /// <summary>The peer's index: the receiver index we put on packets we send.</summary>
    public uint RemoteIndex { get; }

    /// <summary>True when we initiated the handshake (only the initiator rekeys by age).</summary>
    public bool IsInitiator { get; }

    /// <summary>When the handshake completed.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>True for the initiator, and for the responder once a packet arrived on this session.</summary>
    public bool IsConfirmed => _confirmed;

    /// <summary>The counter the next sealed packet will carry.</summary>
    public ulong NextSendCounter => Volatile.Read(ref _nextSendCounter);

    /// <summary>Total length of the message carrying a packet of <paramref name="packetLength"/> bytes.</summary>
    public static int SealedLength(int packetLength) => TransportHeader.Size + TransportHeader.PaddedLength(packetLength) + WireGuardAead.TagSize;

    /// <summary>True once the session is too old to send or receive (REJECT_AFTER_TIME).</summary>
    public bool IsExpired(DateTimeOffset now) => now - CreatedAt >= WireGuardLimits.RejectAfterTime;

    /// <summary>
    /// True when sending should trigger a new handshake: as initiator after REKEY_AFTER_TIME, or after
    /// REKEY_AFTER_MESSAGES in either role.
    /// </summary>
    public bool ShouldRekeyOnSend(DateTimeOffset now) =>
        NextSendCounter >= WireGuardLimits.RekeyAfterMessages || (IsInitiator && now - CreatedAt >= WireGuardLimits.RekeyAfterTime);

    /// <summary>
    /// Writes a type-4 message carrying <paramref name="packet"/> (zero-padded to 16; empty = keepalive).
    /// <paramref name="packet"/> may already sit at <c>destination[16..]</c>. False when the session is
    /// expired, the counter is exhausted, or the destination is too small.
    /// </summary>
    public bool TrySeal(ReadOnlySpan<byte> packet, DateTimeOffset now, Span<byte> destination, out int written)
    {
        written = 0;
        var padded = TransportHeader.PaddedLength(packet.Length);
        var total = TransportHeader.Size + padded + WireGuardAead.TagSize;
        if (destination.Length < total || IsExpired(now))
        {
            return false;
        }

        var counter = Interlocked.Increment(ref _nextSendCounter) - 1;
        if (counter >= WireGuardLimits.RejectAfterMessages)
        {
            return false;
        }

        var body = destination.Slice(TransportHeader.Size, padded);
        packet.CopyTo(body);
        body[packet.Length..].Clear();
        Span<byte> nonce = stackalloc byte[WireGuardAead.NonceSize];
        WireGuardAead.WriteNonce(counter, nonce);
        lock (_sendLock)
        {
            _send.Encrypt(nonce, body, body, destination.Slice(TransportHeader.Size + padded, WireGuardAead.TagSize));
        }

        new TransportHeader(RemoteIndex, counter).TryWrite(destination, out _);
        written = total;
        return true;
    }

    /// <summary>
    /// Authenticates and decrypts a type-4 message into <paramref name="packet"/> (padded plaintext; the
    /// IP header says the real length), then applies the replay window. False on a wrong index,
    /// expired session, bad tag, or replayed/too-old counter; the window moves only for authentic packets.
    /// </summary>
    public bool TryOpen(ReadOnlySpan<byte> datagram, DateTimeOffset now, Span<byte> packet, out int written) =>
        Open(datagram, now, packet, out written) == TransportOpenStatus.Opened;

    /// <summary>
    /// As <see cref="TryOpen"/>, saying why a message was refused: the tag is checked before the replay
    /// window, so a tampered message never consumes its counter.
    /// </summary>
    public TransportOpenStatus Open(ReadOnlySpan<byte> datagram, DateTimeOffset now, Span<byte> packet, out int written)
    {
        written = 0;
        if (!TransportHeader.TryParse(datagram, out var header) || header.ReceiverIndex != LocalIndex)
        {
            return TransportOpenStatus.Malformed;
        }

        if (IsExpired(now) || header.Counter >= WireGuardLimits.RejectAfterMessages)
        {
            return TransportOpenStatus.Expired;
        }

        var length = datagram.Length - TransportHeader.MinimumMessageSize;
        if (packet.Length < length)
        {
            return TransportOpenStatus.Malformed;
        }

        Span<byte> nonce = stackalloc byte[WireGuardAead.NonceSize];
        WireGuardAead.WriteNonce(header.Counter, nonce);
        try
        {
            _receive.Decrypt(nonce, datagram.Slice(TransportHeader.Size, length), datagram[(TransportHeader.Size + length)..], packet[..length]);
        }
        catch (AuthenticationTagMismatchException)
        {
            return TransportOpenStatus.DecryptionFailed;
        }

        if (!_replay.TryAccept(header.Counter))
        {
            packet[..length].Clear();
            return TransportOpenStatus.Replayed;
        }

        _confirmed = true;
        written = length;
        return TransportOpenStatus.Opened;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _send.Dispose();
        _receive.Dispose();
    }
}
