using System.Buffers.Binary;
using System.Security.Cryptography;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Engine.Peers;
using HamachiCloud.Agent.Engine.Send;
using HamachiCloud.Protocol.WireGuard;

namespace HamachiCloud.Agent.Engine.Device;

/// <summary>
/// Handshake stage: initiations we send, and the handshake messages and cookie replies the inbound
/// stage hands over. Everything here runs under the device's handshake lock (Protocol's handshake
/// objects are not thread-safe), then the peer's lock.
/// </summary>
public sealed partial class WireGuardDevice
{
    private static readonly TimeSpan LoadWindow = TimeSpan.FromSeconds(1);

    // Owned by the inbound stage.
    private DateTimeOffset _loadWindowStart = DateTimeOffset.MinValue;
    private int _loadWindowCount;
    private DateTimeOffset _underLoadUntil = DateTimeOffset.MinValue;

    /// <summary>
    /// Sends an initiation to <paramref name="peer"/> unless one went out less than REKEY_TIMEOUT ago
    /// (retries are exempt) or the peer has no endpoint yet.
    /// </summary>
    private void SendInitiation(Peer peer, DateTimeOffset now, bool isRetry, SendBatch send)
    {
        lock (_handshakeLock)
        {
            if (peer.Removed || (!isRetry && now - peer.LastInitiationSentAt < WireGuardLimits.RekeyTimeout))
            {
                return;
            }

            NetEndpoint endpoint;
            lock (peer.Sync)
            {
                if (!peer.HasEndpoint)
                {
                    return;
                }

                endpoint = peer.Endpoint;
            }

            _indexes.Remove(peer.PendingIndex);
            var index = _indexes.AllocateHandshake(peer);
            peer.PendingIndex = index;
            if (!peer.Handshake.TryCreateInitiation(index, now, send.Buffer, out var written))
            {
                _indexes.Remove(index);
                peer.PendingIndex = 0;
                return;
            }

            peer.LastInitiationSentAt = now;
            var jitter = TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(0, (int)WireGuardLimits.MaxRekeyJitter.TotalMilliseconds + 1));
            lock (peer.Sync)
            {
                peer.Timers.OnHandshakeInitiationSent(now, jitter);
            }

            peer.Counters.InitiationSent();
            send.Commit(written, endpoint);
        }
    }

    /// <summary>A 148-byte initiation: mac1, load/cookie, consume, respond, derive a responder session.</summary>
    private void HandleInitiation(ReadOnlySpan<byte> datagram, NetEndpoint from, DateTimeOffset now, SendBatch send)
    {
        if (!_identity.CheckMac1(datagram))
        {
            Interlocked.Increment(ref _badMacHandshakes);
            return;
        }

        var underLoad = CountHandshakeLoad(now);
        lock (_handshakeLock)
        {
            if (underLoad && ReplyWithCookie(datagram, from, now, send))
            {
                return;
            }

            if (_handshakes.ConsumeInitiation(datagram, now, out var handshake) != HandshakeStatus.Accepted || handshake is null)
            {
                Interlocked.Increment(ref _rejectedHandshakes);
                return;
            }

            Peer? peer;
            lock (_peersLock)
            {
                _peers.TryGetValue(handshake.RemoteStatic, out peer);
            }

            if (peer is null)
            {
                handshake.Clear();
                Interlocked.Increment(ref _rejectedHandshakes);
                return;
            }

            _indexes.Remove(peer.PendingIndex);
            var index = _indexes.AllocateHandshake(peer);
            peer.PendingIndex = 0;
            if (!handshake.TryCreateResponse(index, now, send.Buffer, out var written) || !handshake.TryDeriveSession(now, out var session) || session is null)
            {
                _indexes.Remove(index);
                handshake.Clear();
                peer.Counters.Drop(DropReason.DecryptFailure);
                return;
            }

            _indexes.BindSession(index, peer, session);
            lock (peer.Sync)
            {
                peer.Endpoint = from;
                peer.HasEndpoint = true;
                peer.Install(session);
                if (!peer.Timers.HandshakeInProgress)
                {
                    peer.Timers.OnHandshakeComplete(now, isInitiator: false);
                }

                // Else both sides initiated at once: this initiation replaced ours, so the response to ours
                // will not match. As in wireguard-go, only the initiator's completion stops the retry timer;
                // the retry (jittered) then completes a handshake we initiate.
                peer.LastHandshake = now;
            }

            peer.Counters.HandshakeCompleted();
            send.Commit(written, from);
        }
    }

    /// <summary>A 92-byte response to our pending initiation, found by its receiver index.</summary>
    private void HandleResponse(ReadOnlySpan<byte> datagram, NetEndpoint from, DateTimeOffset now, SendBatch send)
    {
        var receiver = BinaryPrimitives.ReadUInt32LittleEndian(datagram[8..]);
        if (!_indexes.TryGet(receiver, out var peer, out var bound) || bound is not null)
        {
            Interlocked.Increment(ref _unknownIndex);
            return;
        }

        if (!_identity.CheckMac1(datagram))
        {
            peer.Counters.Drop(DropReason.BadMac);
            return;
        }

        var underLoad = CountHandshakeLoad(now);
        lock (_handshakeLock)
        {
            if (underLoad && ReplyWithCookie(datagram, from, now, send))
            {
                return;
            }

            if (peer.Removed || peer.PendingIndex != receiver)
            {
                Interlocked.Increment(ref _unknownIndex);
                return;
            }

            if (peer.Handshake.ConsumeResponse(datagram) != HandshakeStatus.Accepted || !peer.Handshake.TryDeriveSession(now, out var session) || session is null)
            {
                peer.Counters.Drop(DropReason.DecryptFailure);
                return;
            }

            _indexes.BindSession(receiver, peer, session);
            peer.PendingIndex = 0;
            lock (peer.Sync)
            {
                peer.Endpoint = from;
                peer.HasEndpoint = true;
                peer.Install(session);
                peer.Timers.OnHandshakeComplete(now, isInitiator: true);
                peer.LastHandshake = now;
                if (!FlushStaged(peer, session, now, send))
                {
                    // Confirm the keys to the responder at once (wireguard-go sends a keepalive).
                    SealKeepalive(peer, session, now, send);
                }
            }

            peer.Counters.HandshakeCompleted();
        }
    }

    /// <summary>A cookie reply to a handshake message we sent: store the cookie; the next retry carries mac2.</summary>
    private void HandleCookieReply(ReadOnlySpan<byte> datagram, DateTimeOffset now)
    {
        var receiver = BinaryPrimitives.ReadUInt32LittleEndian(datagram[4..]);
        if (!_indexes.TryGet(receiver, out var peer, out _))
        {
            Interlocked.Increment(ref _unknownIndex);
            return;
        }

        lock (_handshakeLock)
        {
            if (!peer.Removed && !peer.Handshake.Cookies.TryConsumeReply(datagram, now))
            {
                peer.Counters.Drop(DropReason.BadMac);
            }
        }
    }

    /// <summary>Under load, answers a handshake message lacking a fresh mac2 with a cookie reply; true if it did.</summary>
    private bool ReplyWithCookie(ReadOnlySpan<byte> datagram, NetEndpoint from, DateTimeOffset now, SendBatch send)
    {
        var source = from.ToIPEndPoint();
        if (_handshakes.Cookies.CheckMac2(datagram, source, now))
        {
            return false;
        }

        if (_handshakes.Cookies.TryCreateReply(datagram, source, now, send.Buffer, out var written))
        {
            send.Commit(written, from);
            Interlocked.Increment(ref _cookieRepliesSent);
        }

        return true;
    }

    /// <summary>Counts a mac1-valid handshake message; true while under load (more than the option per second, and 1 s after).</summary>
    private bool CountHandshakeLoad(DateTimeOffset now)
    {
        if (now - _loadWindowStart >= LoadWindow || now < _loadWindowStart)
        {
            _loadWindowStart = now;
            _loadWindowCount = 0;
        }

        if (++_loadWindowCount > _options.UnderLoadHandshakesPerSecond)
        {
            _underLoadUntil = now + LoadWindow;
        }

        return now < _underLoadUntil;
    }

    /// <summary>Seals every staged packet on <paramref name="session"/>; true if any was sent. Call under the peer's lock.</summary>
    private bool FlushStaged(Peer peer, TransportSession session, DateTimeOffset now, SendBatch send)
    {
        var any = false;
        while (peer.Staged.Count > 0 && peer.HasEndpoint)
        {
            var packet = peer.Staged.Peek();
            if (!session.TrySeal(packet, now, send.Buffer, out var written))
            {
                return any;
            }

            send.Commit(written, peer.Endpoint);
            peer.Counters.Sent(packet.Length);
            peer.Timers.OnDataSent(now);
            peer.Staged.Dequeue();
            any = true;
        }

        return any;
    }

    /// <summary>Seals an empty transport message. Call under the peer's lock.</summary>
    private static bool SealKeepalive(Peer peer, TransportSession session, DateTimeOffset now, SendBatch send)
    {
        if (!peer.HasEndpoint || !session.TrySeal([], now, send.Buffer, out var written))
        {
            return false;
        }

        send.Commit(written, peer.Endpoint);
        peer.Counters.Sent(0);
        peer.Timers.OnKeepaliveSent(now);
        return true;
    }
}
