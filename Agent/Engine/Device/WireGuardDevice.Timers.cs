using HamachiCloud.Agent.Engine.Peers;
using HamachiCloud.Agent.Engine.Send;
using HamachiCloud.Protocol.WireGuard;

namespace HamachiCloud.Agent.Engine.Device;

/// <summary>
/// Timer stage: on every tick of the TimeProvider (100 ms) asks each peer's <see cref="PeerTimers"/>
/// what is due and performs it: keepalives, new handshakes, retries with jitter, giving up, zeroing keys.
/// </summary>
public sealed partial class WireGuardDevice
{
    private void RunTimers()
    {
        var send = NewSendBatch();
        while (!_stopping)
        {
            _tick.WaitOne();
            if (_stopping)
            {
                return;
            }

            var requested = Volatile.Read(ref _tickRequests);
            var now = _time.GetUtcNow();
            foreach (var peer in _peerList)
            {
                try
                {
                    RunPeerTimers(peer, now, send);
                }
                catch (ObjectDisposedException) when (_stopping)
                {
                    return;
                }

                if (send.ShouldFlush)
                {
                    send.Flush();
                }
            }

            send.Flush();
            Volatile.Write(ref _ticksDone, requested);
        }
    }

    private void RunPeerTimers(Peer peer, DateTimeOffset now, SendBatch send)
    {
        if (peer.HandshakeWanted)
        {
            peer.HandshakeWanted = false;
            SendInitiation(peer, now, isRetry: false, send);
        }

        TimerAction action;
        lock (peer.Sync)
        {
            if (peer.Removed)
            {
                return;
            }

            action = peer.Timers.Decide(now);
            if (action == TimerAction.SendKeepalive)
            {
                if (peer.SendSession(now) is { } session && SealKeepalive(peer, session, now, send))
                {
                    return;
                }

                // No usable session: a keepalive cannot go out, so a handshake must come first.
                peer.Timers.OnKeepaliveSent(now);
                action = TimerAction.InitiateHandshake;
            }
        }

        switch (action)
        {
            case TimerAction.InitiateHandshake:
                SendInitiation(peer, now, isRetry: false, send);
                break;
            case TimerAction.RetryHandshake:
                SendInitiation(peer, now, isRetry: true, send);
                break;
            case TimerAction.GiveUpHandshake:
                lock (_handshakeLock)
                {
                    peer.Handshake.Clear();
                    _indexes.Remove(peer.PendingIndex);
                    peer.PendingIndex = 0;
                    lock (peer.Sync)
                    {
                        for (var i = 0; i < peer.Staged.Count; i++)
                        {
                            peer.Counters.Drop(DropReason.NoRoute);
                        }

                        peer.Staged.Clear();
                        peer.Timers.OnHandshakeGivenUp(now);
                    }
                }

                break;
            case TimerAction.ZeroKeys:
                lock (_handshakeLock)
                {
                    peer.Handshake.Clear();
                    _indexes.Remove(peer.PendingIndex);
                    peer.PendingIndex = 0;
                    lock (peer.Sync)
                    {
                        peer.ZeroSessions();
                        peer.Timers.OnKeysZeroed();
                    }
                }

                break;
        }
    }
}
